/// The small JSON path language of rules: `error.message`, `errors[0].code`, `errors[*].message`, `[0].errorCode`.
public enum JSONPath {
    enum Step: Equatable {
        case key(String)
        case index(Int)
        case any
    }

    static func steps(_ path: String) -> [Step] {
        var steps: [Step] = []
        var current = ""
        var index = path.startIndex
        func flush() {
            if !current.isEmpty { steps.append(.key(current)) }
            current = ""
        }
        while index < path.endIndex {
            let character = path[index]
            if character == "." {
                flush()
            } else if character == "[", let close = path[index...].firstIndex(of: "]") {
                flush()
                let inside = path[path.index(after: index)..<close]
                if inside == "*" { steps.append(.any) } else if let number = Int(inside) { steps.append(.index(number)) } else { steps.append(.key(String(inside).trimmingCharacters(in: CharacterSet(charactersIn: "'\"")))) }
                index = close
            } else {
                current.append(character)
            }
            index = path.index(after: index)
        }
        flush()
        return steps
    }

    /// The values the path selects (several with `[*]`).
    public static func values(_ path: String, in json: JSONValue) -> [JSONValue] {
        var current = [json]
        for step in steps(path) {
            var next: [JSONValue] = []
            for value in current {
                switch (step, value) {
                case (.key(let key), .object(let object)): if let child = object[key] { next.append(child) }
                case (.index(let position), .array(let items)): if items.indices.contains(position) { next.append(items[position]) }
                case (.any, .array(let items)): next += items
                case (.any, .object(let object)): next += object.values
                default: break
                }
            }
            current = next
        }
        return current
    }
}

import Foundation
