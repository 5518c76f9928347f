/// Renders the Markdown of knowledge entries for a terminal: headings stand out, lists and
/// code blocks are indented, inline code and links stay readable without a Markdown viewer.
public struct MarkdownRenderer {
    public var style: TerminalStyle

    public init(style: TerminalStyle) { self.style = style }

    public func render(_ markdown: String) -> String {
        var output: [String] = []
        var inFence = false
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inFence.toggle()
                continue
            }
            if inFence {
                output.append("    " + style.dim(line))
                continue
            }
            if line.hasPrefix("#") {
                let level = line.prefix(while: { $0 == "#" }).count
                let title = line.dropFirst(level).trimmingCharacters(in: .whitespaces)
                if output.last?.isEmpty == false { output.append("") }
                output.append(level <= 1 ? style.bold(style.underline(title)) : style.bold(inline(title)))
                continue
            }
            output.append(wrap(inline(line)))
        }
        while output.last?.isEmpty == true { output.removeLast() }
        return output.joined(separator: "\n")
    }

    /// Inline code in cyan, **bold** in bold, [text](url) as "text <url>".
    func inline(_ text: String) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "`", let close = text[text.index(after: index)...].firstIndex(of: "`") {
                result += style.cyan(String(text[text.index(after: index)..<close]))
                index = text.index(after: close)
            } else if text[index...].hasPrefix("**"), let close = text[text.index(index, offsetBy: 2)...].range(of: "**") {
                result += style.bold(String(text[text.index(index, offsetBy: 2)..<close.lowerBound]))
                index = close.upperBound
            } else if character == "[", let closeBracket = text[index...].firstIndex(of: "]"),
                text.index(after: closeBracket) < text.endIndex, text[text.index(after: closeBracket)] == "(",
                let closeParen = text[closeBracket...].firstIndex(of: ")")
            {
                let label = text[text.index(after: index)..<closeBracket]
                let url = text[text.index(closeBracket, offsetBy: 2)..<closeParen]
                result += label == url ? style.underline(String(url)) : "\(label) <\(style.underline(String(url)))>"
                index = text.index(after: closeParen)
            } else {
                result.append(character)
                index = text.index(after: index)
            }
        }
        return result
    }

    /// Wraps long prose lines at the terminal width, keeping list indentation.
    func wrap(_ line: String) -> String {
        guard visibleLength(line) > style.width else { return line }
        let indentCount = line.prefix(while: { $0 == " " }).count
        let marker = line.dropFirst(indentCount).prefix(while: { !$0.isWhitespace })
        let isList = marker == "-" || marker == "*" || (marker.hasSuffix(".") && marker.dropLast().allSatisfy(\.isNumber))
        let hanging = String(repeating: " ", count: indentCount + (isList ? marker.count + 1 : 0))
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if visibleLength(candidate) > style.width, !current.isEmpty {
                lines.append(current)
                current = hanging + word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    private func visibleLength(_ text: String) -> Int {
        var count = 0
        var inEscape = false
        for character in text {
            if character == "\u{1B}" { inEscape = true; continue }
            if inEscape { if character == "m" { inEscape = false }; continue }
            count += 1
        }
        return count
    }
}
