import Foundation

/// How output should look: colour only on a terminal and only when `NO_COLOR` is unset.
public struct TerminalStyle: Sendable {
    public var color: Bool
    public var width: Int

    public init(color: Bool, width: Int = 100) {
        self.color = color
        self.width = width
    }

    public static let plain = TerminalStyle(color: false)

    /// Decides colour for a file descriptor the way well-behaved tools do (https://no-color.org).
    public static func detect(fileDescriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        let isTTY = isatty(fileDescriptor) == 1
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        var width = 100
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 20 { width = columns }
        return TerminalStyle(color: isTTY && !noColor && !dumb, width: width)
    }

    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    public func cyan(_ text: String) -> String { wrap(text, "36") }
    public func underline(_ text: String) -> String { wrap(text, "4") }

    private func wrap(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
