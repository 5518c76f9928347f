import Foundation
import HubDoctorCore

/// Markdown reduced to the words a person reads, for indexing and snippets.
enum PlainText {
    /// Compiled once: the index runs these on every line of every entry.
    static let blockMarker = Pattern(literal: #"^\s{0,3}(#{1,6}|[-*+]|\d+\.|>)\s+"#, caseInsensitive: false)
    static let link = Pattern(literal: #"\[([^\]]*)\]\([^)]*\)"#, caseInsensitive: false)

    static func fromMarkdown(_ markdown: String) -> String {
        var lines: [String] = []
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: true) {
            var line = String(rawLine)
            if line.hasPrefix("```") { continue }
            line = blockMarker.replace(in: line) { _ in "" }
            // [text](url) keeps the text; the url is noise for ranking.
            line = link.replace(in: line) { $0[1] }
            line = line.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// A short excerpt around the first of `terms` found in `text`, with the term highlighted.
    static func excerpt(_ text: String, around terms: [String], width: Int = 120) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        for term in terms {
            guard let range = flat.range(of: term, options: .caseInsensitive) else { continue }
            let start = flat.index(range.lowerBound, offsetBy: -width / 2, limitedBy: flat.startIndex) ?? flat.startIndex
            let end = flat.index(range.upperBound, offsetBy: width / 2, limitedBy: flat.endIndex) ?? flat.endIndex
            return (start == flat.startIndex ? "" : "…") + flat[start..<range.lowerBound] + SearchHit.highlightStart
                + flat[range] + SearchHit.highlightEnd + flat[range.upperBound..<end] + (end == flat.endIndex ? "" : "…")
        }
        return String(flat.prefix(width))
    }
}
