/// One Markdown entry of the knowledge base: an FAQ answer, a failure class, or a provider note.
public struct KnowledgeEntry: Codable, Sendable, Identifiable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case faq
        case failureClass = "class"
        case provider

        /// The folder of `knowledge/` that holds entries of this kind.
        public var folder: String {
            switch self {
            case .faq: "faq"
            case .failureClass: "classes"
            case .provider: "providers"
            }
        }

        public init?(folder: String) {
            guard let kind = Kind.allCases.first(where: { $0.folder == folder }) else { return nil }
            self = kind
        }
    }

    public var id: String
    public var kind: Kind
    public var title: String
    public var tags: [String]
    public var classes: [String]
    public var methods: [String]
    public var providers: [String]
    public var seeAlso: [String]
    public var source: String?
    /// The Markdown body after the front matter.
    public var body: String
    /// Path relative to the knowledge folder (`faq/oauth-token-expiry.md`).
    public var path: String

    // Provider notes only.
    public var sources: [String] = []
    public var aliases: [String] = []
    public var hosts: [String] = []
    /// Patterns over error text that only this vendor produces.
    public var markers: [String] = []
    public var trySchemes: Bool = false

    /// The numbered steps under `## How to fix` (class entries), in order.
    /// The steps, when they were worked out before the body was left out (the parsed-base cache keeps no bodies).
    var storedSteps: [String]?

    public var steps: [String] {
        storedSteps ?? MarkdownText.numberedItems(in: MarkdownText.section(named: "How to fix", in: body) ?? "")
    }

    /// The entry without its body, carrying what commands other than `kb show` read from it.
    var withoutBody: KnowledgeEntry {
        var copy = self
        if kind == .failureClass { copy.storedSteps = steps }
        copy.body = ""
        return copy
    }

    /// The YAML block under `## Connection file template` (provider notes).
    public var connectionTemplate: String? {
        MarkdownText.section(named: "Connection file template", in: body).flatMap { MarkdownText.fencedBlock(in: $0, language: "yaml") }
    }
}

/// Small, dependency-free readers for the Markdown the knowledge base is written in.
public enum MarkdownText {
    /// The text under `## name` up to the next heading of level 1 or 2.
    public static func section(named name: String, in markdown: String) -> String? {
        var collecting = false
        var lines: [Substring] = []
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence, line.hasPrefix("#") {
                let level = line.prefix(while: { $0 == "#" }).count
                let title = line.dropFirst(level).trimmingCharacters(in: .whitespaces)
                if level <= 2 {
                    if collecting { break }
                    if level == 2, title.caseInsensitiveCompare(name) == .orderedSame {
                        collecting = true
                        continue
                    }
                }
            }
            if collecting { lines.append(line) }
        }
        return collecting ? lines.joined(separator: "\n") : nil
    }

    /// The level-2 headings of a document, in order.
    public static func headings(in markdown: String) -> [String] {
        var inFence = false
        var result: [String] = []
        for line in markdown.split(separator: "\n") {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence, line.hasPrefix("## ") { result.append(line.dropFirst(3).trimmingCharacters(in: .whitespaces)) }
        }
        return result
    }

    /// The items of the first numbered list (`1. ...`), with continuation lines joined.
    public static func numberedItems(in markdown: String) -> [String] {
        var items: [String] = []
        var current: String?
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if let dot = line.firstIndex(of: "."), dot > line.startIndex, line[..<dot].allSatisfy(\.isNumber),
                line[line.index(after: dot)...].first == " "
            {
                if let current { items.append(current) }
                current = line[line.index(after: dot)...].trimmingCharacters(in: .whitespaces)
            } else if line.isEmpty {
                if let finished = current {
                    items.append(finished)
                    current = nil
                }
            } else if let existing = current {
                current = existing + " " + line
            } else if !items.isEmpty {
                break
            }
        }
        if let current { items.append(current) }
        return items
    }

    /// The contents of the first fenced block tagged `language`.
    public static func fencedBlock(in markdown: String, language: String) -> String? {
        var collecting = false
        var lines: [Substring] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if collecting {
                if trimmed.hasPrefix("```") { return lines.joined(separator: "\n") + "\n" }
                lines.append(line)
            } else if trimmed.hasPrefix("```"), trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased() == language {
                collecting = true
            }
        }
        return nil
    }
}
