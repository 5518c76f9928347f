import Foundation

/// A documentation page cut into titled sections, before it becomes draft entries.
public struct IngestDocument: Sendable, Equatable {
    public var title: String?
    public var sections: [IngestSection]

    public init(title: String?, sections: [IngestSection]) {
        self.title = title
        self.sections = sections
    }
}

public struct IngestSection: Sendable, Equatable {
    public var title: String
    /// The section's content as Markdown; code blocks are kept as fenced blocks.
    public var markdown: String
    public var level: Int

    public init(title: String, markdown: String, level: Int) {
        self.title = title
        self.markdown = markdown
        self.level = level
    }

    /// "What happens when ...?", "How do I ...": the headings an FAQ page is made of.
    public var isQuestion: Bool {
        let trimmed = title.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("?") { return true }
        let first = trimmed.split(separator: " ").first.map { $0.lowercased() } ?? ""
        return ["what", "how", "why", "can", "who", "is", "are", "do", "does", "when", "where", "should", "which"].contains(first)
    }
}

/// Reads Markdown pages and `llms.txt` indexes into sections.
public enum MarkdownIngest {
    /// `##`/`###` headings start sections; a `#` heading is the page title.
    public static func document(fromMarkdown text: String) -> IngestDocument {
        var title: String?
        var sections: [IngestSection] = []
        var current: (String, Int)?
        var lines: [String] = []
        var inFence = false
        func flush() {
            if let (heading, level) = current {
                let body = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if !body.isEmpty { sections.append(IngestSection(title: heading, markdown: body, level: level)) }
            }
            lines = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inFence.toggle() }
            if !inFence, line.hasPrefix("#") {
                let level = line.prefix(while: { $0 == "#" }).count
                let heading = line.dropFirst(level).trimmingCharacters(in: .whitespaces)
                if level == 1, title == nil {
                    flush()
                    current = nil
                    title = heading
                    continue
                }
                if level <= 4 {
                    flush()
                    current = (heading, level)
                    continue
                }
            }
            lines.append(line)
        }
        flush()
        return IngestDocument(title: title, sections: sections)
    }

    /// An llms.txt index (https://llmstxt.org): every `- [Name](url): notes` item becomes a section.
    public static func document(fromLLMSText text: String) -> IngestDocument {
        var title: String?
        var summary = ""
        var sections: [IngestSection] = []
        let item = try! NSRegularExpression(pattern: #"^\s*[-*]\s*\[([^\]]+)\]\(([^)\s]+)\)\s*:?\s*(.*)$"#)
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("# "), title == nil {
                title = String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("> ") {
                summary = String(line.dropFirst(2))
            } else if let match = item.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) {
                let name = Range(match.range(at: 1), in: line).map { String(line[$0]) } ?? ""
                let url = Range(match.range(at: 2), in: line).map { String(line[$0]) } ?? ""
                let notes = Range(match.range(at: 3), in: line).map { String(line[$0]) } ?? ""
                let body = [notes.isEmpty ? summary : notes, "Source: <\(url)>"].filter { !$0.isEmpty }.joined(separator: "\n\n")
                sections.append(IngestSection(title: name, markdown: body, level: 2))
            }
        }
        return IngestDocument(title: title, sections: sections)
    }

    /// True when the text looks like an llms.txt index rather than an ordinary page.
    public static func looksLikeLLMSText(_ text: String, name: String) -> Bool {
        if name.lowercased().hasSuffix("llms.txt") || name.lowercased().hasSuffix("llms-full.txt") { return true }
        let lines = text.split(separator: "\n")
        let links = lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- [") }.count
        return lines.first?.hasPrefix("# ") == true && links >= 3 && links * 3 >= lines.count
    }
}
