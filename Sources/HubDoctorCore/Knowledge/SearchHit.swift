/// One result of a knowledge-base search.
public struct SearchHit: Codable, Sendable, Equatable {
    public var id: String
    public var kind: String
    public var title: String
    /// Higher is better; comparable within one search only.
    public var score: Double
    /// A short excerpt; the matched words are wrapped in `SearchHit.highlightStart` / `highlightEnd`.
    public var snippet: String

    public static let highlightStart = "\u{2}"
    public static let highlightEnd = "\u{3}"

    public init(id: String, kind: String, title: String, score: Double, snippet: String) {
        self.id = id
        self.kind = kind
        self.title = title
        self.score = score
        self.snippet = snippet
    }

    /// The snippet with highlights replaced (by ANSI codes on a terminal, by nothing in JSON).
    public func snippet(highlightedWith start: String, _ end: String) -> String {
        var result = ""
        var lastWasSpace = false
        for character in snippet {
            switch character {
            case Character(SearchHit.highlightStart): result += start
            case Character(SearchHit.highlightEnd): result += end
            case _ where character.isWhitespace:
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
                continue
            default: result.append(character)
            }
            lastWasSpace = false
        }
        return result
    }
}
