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

    /// Splits on anything but letters, digits and the joiners `_ - . '` inside a token. Works on
    /// UTF-8 bytes (every non-ASCII byte counts as a letter): it runs over the whole knowledge base
    /// when the index is built.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var utf8 = Array(text.utf8)
        utf8.append(0x20)
        var start = -1
        for (index, byte) in utf8.enumerated() {
            let isTokenByte = byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || byte == 0x2E || byte == 0x27
            if isTokenByte {
                if start < 0 { start = index }
                continue
            }
            guard start >= 0 else { continue }
            var lower = start
            var upper = index
            // Joiners at either end belong to the text around the token, not to it.
            while lower < upper, [0x5F, 0x2D, 0x2E, 0x27].contains(utf8[lower]) { lower += 1 }
            while upper > lower, [0x5F, 0x2D, 0x2E, 0x27].contains(utf8[upper - 1]) { upper -= 1 }
            if lower < upper { tokens.append(String(decoding: utf8[lower..<upper], as: UTF8.self)) }
            start = -1
        }
        return tokens
    }

    /// A token that names something exactly: joined by `_`/`-`/`.`, or letters and digits mixed.
    static func isCode(_ token: String) -> Bool {
        var hasLetter = false, hasDigit = false, hasUnderscore = false, hasHyphen = false, hasUpper = false
        for byte in token.utf8 {
            switch byte {
            case 0x30...0x39: hasDigit = true
            case 0x41...0x5A: hasLetter = true; hasUpper = true
            case 0x61...0x7A: hasLetter = true
            case 0x5F: hasUnderscore = true
            case 0x2D: hasHyphen = true
            default: if byte >= 0x80 { hasLetter = true }
            }
        }
        return hasUnderscore || (hasLetter && hasDigit) || (hasHyphen && hasUpper)
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

