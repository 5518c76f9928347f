import Foundation
import Yams

/// A YAML node that knows where it came from, so every complaint about it can say
/// `file:line: field 'auth[2].token_url' ...`.
public struct YAMLNode {
    public let node: Node
    /// The dotted path of the field, for messages (`auth[1].scopes`).
    public let field: String
    public let file: String
    /// Added to Yams' line numbers when the YAML sits inside a larger file (front matter).
    let lineOffset: Int

    public var line: Int? { node.mark.map { $0.line + lineOffset } }
    public var location: SourceLocation { SourceLocation(file: file, line: line) }

    /// Parses `text`; a syntax error becomes a located data error.
    public static func parse(_ text: String, file: String, lineOffset: Int = 0) throws -> YAMLNode? {
        do {
            guard let node = try Yams.compose(yaml: text) else { return nil }
            return YAMLNode(node: node, field: "", file: file, lineOffset: lineOffset)
        } catch let error as YamlError {
            throw located(error, file: file, lineOffset: lineOffset)
        } catch {
            throw HubDoctorError.data(file, line: nil, "this is not valid YAML (\(error)).")
        }
    }

    private static func located(_ error: YamlError, file: String, lineOffset: Int) -> HubDoctorError {
        func describe(_ context: YamlError.Context?, _ problem: String) -> String {
            [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            // The context mark is where the broken construct starts (an unclosed "["), which is where to look.
            let line = (context?.mark.line ?? mark.line) + lineOffset
            let noticed = context.map { $0.mark.line != mark.line ? ", noticed at line \(mark.line + lineOffset)" : "" } ?? ""
            return .data(file, line: line, "invalid YAML: \(describe(context, problem)) (column \(mark.column)\(noticed)).")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .data(
                file, line: context.mark.line + lineOffset,
                "the key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) appears twice in one mapping; keep one.")
        case .reader(let problem, _, _, _):
            return .data(file, line: nil, "cannot read the YAML text: \(problem).")
        default:
            return .data(file, line: nil, "invalid YAML: \(error).")
        }
    }

    func child(_ node: Node, field: String) -> YAMLNode {
        YAMLNode(node: node, field: field, file: file, lineOffset: lineOffset)
    }

    public func error(_ message: String) -> HubDoctorError {
        .data(file, line: line, message)
    }

    private var fieldName: String { field.isEmpty ? "the document" : "'\(field)'" }

    // MARK: - Mappings

    /// The mapping's entries in file order, or an error naming the field when this is not a mapping.
    public func mappingEntries() throws -> [(key: String, value: YAMLNode)] {
        guard let mapping = node.mapping else { throw error("\(fieldName) must be a mapping of keys to values.") }
        return try mapping.map { pair in
            guard let key = pair.key.scalar?.string else {
                throw child(pair.key, field: field).error("a key in \(fieldName) is not a plain string.")
            }
            return (key, child(pair.value, field: field.isEmpty ? key : "\(field).\(key)"))
        }
    }

    public var isMapping: Bool { node.mapping != nil }
    public var isSequence: Bool { node.sequence != nil }
    public var isNull: Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    public subscript(key: String) -> YAMLNode? {
        // Compare raw key text: Yams' own subscript resolves every key's tag through regular
        // expressions, which made loading the knowledge base several times slower.
        guard let mapping = node.mapping, let pair = mapping.first(where: { $0.key.scalar?.string == key }) else { return nil }
        return child(pair.value, field: field.isEmpty ? key : "\(field).\(key)")
    }

    /// Rejects keys that are not in `allowed`, naming the closest allowed one.
    public func requireKnownKeys(_ allowed: [String]) throws {
        for (key, value) in try mappingEntries() where !allowed.contains(key) {
            let suggestion = Spelling.suggestion(for: key, in: allowed)
            throw child(value.node, field: field).error(
                "unknown key '\(key)'\(field.isEmpty ? "" : " in '\(field)'"); allowed here: \(allowed.joined(separator: ", ")).\(suggestion)")
        }
    }

    // MARK: - Scalars

    public func string() throws -> String {
        guard let scalar = node.scalar, node.mapping == nil, node.sequence == nil else {
            throw error("\(fieldName) must be a single value, not a \(node.sequence != nil ? "list" : "mapping").")
        }
        return scalar.string
    }

    public func nonEmptyString() throws -> String {
        let value = try string().trimmingCharacters(in: .whitespaces)
        if value.isEmpty || isNull { throw error("\(fieldName) must not be empty.") }
        return value
    }

    public func bool() throws -> Bool {
        guard let value = node.bool else { throw error("\(fieldName) must be true or false.") }
        return value
    }

    public func double() throws -> Double {
        guard let text = node.scalar?.string, let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
            throw error("\(fieldName) must be a number.")
        }
        return value
    }

    /// A list of strings. A bare string is refused with a hint, because `scopes: read write`
    /// silently meaning one scope is a classic mistake.
    public func stringList() throws -> [String] {
        if isNull { return [] }
        guard let sequence = node.sequence else {
            let shown = (try? string()).map { " (got \"\($0)\")" } ?? ""
            throw error("\(fieldName) must be a list, like [a, b]\(shown); write each item separately.")
        }
        return try sequence.enumerated().map { index, item in
            try child(item, field: "\(field)[\(index)]").string()
        }
    }

    public func sequenceItems() throws -> [YAMLNode] {
        guard let sequence = node.sequence else { throw error("\(fieldName) must be a list.") }
        return sequence.enumerated().map { index, item in child(item, field: "\(field)[\(index)]") }
    }
}

/// Spelling suggestions for keys and ids.
public enum Spelling {
    /// The candidate within edit distance 2 (or a third of the word) of `word`, if any.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let limit = max(1, min(2, word.count / 3))
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(word.lowercased(), candidate.lowercased())
            if distance <= limit, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    /// ` Did you mean 'x'?` for the closest candidate, or nothing: the end of an error message.
    public static func suggestion(for word: String, in candidates: [String]) -> String {
        closest(to: word, in: candidates).map { " Did you mean '\($0)'?" } ?? ""
    }

    /// Damerau-Levenshtein (optimal string alignment) distance.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
