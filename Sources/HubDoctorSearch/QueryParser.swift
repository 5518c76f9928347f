/// Turns what a person typed or pasted into search terms.
struct QueryParser {
    struct Terms: Equatable {
        /// Ordinary words, lower-cased, stop words removed (unless nothing else is left).
        var words: [String]
        /// Identifiers kept whole: `invalid_grant`, `aadsts700082`, `x-service-user-id`.
        var codes: [String]
    }

    static let stopWords: Set<String> = [
        "a", "about", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by",
        "can", "could", "did", "do", "does", "doing", "for", "from", "get", "gets", "getting", "got", "had", "has",
        "have", "help", "how", "i", "i'm", "if", "im", "in", "into", "is", "it", "its", "just", "keep", "keeps", "me",
        "my", "of", "on", "or", "our", "please", "should", "so", "some", "still", "that", "the", "their", "them",
        "then", "there", "these", "this", "to", "us", "was", "we", "were", "what", "whats", "when", "where", "which",
        "who", "why", "will", "with", "would", "you", "your",
        // Symptom words every troubleshooting question carries; they say nothing about the cause.
        "broken", "doesnt", "dont", "error", "errors", "fail", "fails", "failing", "issue", "issues", "problem",
        "problems", "wrong", "work", "works", "working",
    ]

    /// Splits on anything but letters, digits and the joiners `_ - .` inside a token.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        func flush() {
            let trimmed = current.drop { "_-.'".contains($0) }.reversed().drop { "_-.'".contains($0) }.reversed()
            if !trimmed.isEmpty { tokens.append(String(trimmed)) }
            current = ""
        }
        for scalar in text.unicodeScalars {
            // Unicode properties from the standard library: no Foundation CharacterSet (and no ICU) on the query path.
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" || scalar == "-" || scalar == "." || scalar == "'" {
                current.unicodeScalars.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    /// A token that names something exactly: joined by `_`/`-`/`.`, or letters and digits mixed.
    static func isCode(_ token: String) -> Bool {
        let hasLetter = token.contains { $0.isLetter }
        let hasDigit = token.contains { $0.isNumber }
        if token.contains("_") { return true }
        if hasLetter, hasDigit { return true }
        if token.contains("-"), token.contains(where: \.isUppercase) { return true }
        return false
    }

    static func parse(_ query: String) -> Terms {
        var words: [String] = []
        var codes: [String] = []
        var dropped: [String] = []
        for token in tokens(query) {
            let lower = token.lowercased().replacingOccurrences(of: "'", with: "")
            if isCode(token) {
                if !codes.contains(lower) { codes.append(lower) }
                // Also search its parts as words, so "invalid_grant" finds prose about invalid grants.
                for part in lower.split(whereSeparator: { "_-.".contains($0) }) where part.count > 1 {
                    let word = String(part)
                    if !stopWords.contains(word), !word.allSatisfy(\.isNumber), !words.contains(word) { words.append(word) }
                }
            } else {
                for part in lower.split(whereSeparator: { "-.".contains($0) }).map(String.init) where !part.isEmpty {
                    if stopWords.contains(part) || part.count < 2 {
                        dropped.append(part)
                    } else if !words.contains(part) {
                        words.append(part)
                    }
                }
            }
        }
        if words.isEmpty, codes.isEmpty { words = dropped.filter { !$0.isEmpty } }
        return Terms(words: words, codes: codes)
    }
}

