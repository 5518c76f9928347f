import Foundation

/// Turns an ingested page into draft FAQ entries that pass `kb lint` and wait for a reviewer.
public enum DraftEntries {
    public struct Draft: Sendable, Equatable {
        public var id: String
        public var fileName: String
        public var text: String
    }

    /// One draft per section. Question headings are always kept; other headings are kept when the
    /// page has no questions at all (a guide with one section per auth method, say).
    public static func make(from document: IngestDocument, source: String, existingIDs: Set<String> = []) -> [Draft] {
        let hasQuestions = document.sections.contains(where: \.isQuestion)
        var used = existingIDs
        var drafts: [Draft] = []
        for section in document.sections where section.isQuestion || !hasQuestions || section.level <= 2 {
            let body = section.markdown.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !body.isEmpty else { continue }
            var id = slug(section.title)
            if id.isEmpty { continue }
            if used.contains(id) {
                var counter = 2
                while used.contains("\(id)-\(counter)") { counter += 1 }
                id = "\(id)-\(counter)"
            }
            used.insert(id)
            let tags = suggestedTags(title: section.title, body: body)
            let methods = suggestedMethods(title: section.title, body: body)
            let text = """
                ---
                id: \(id)
                title: \(yamlQuoted(section.title))
                tags: [\(tags.map(yamlQuoted).joined(separator: ", "))]
                classes: []
                methods: [\(methods.joined(separator: ", "))]
                source: \(yamlQuoted(source))
                ---
                <!-- Draft from \(source): reword it in the project's own words, fill in classes and see_also, then move it to knowledge/faq/. -->

                \(body)

                """
            drafts.append(Draft(id: id, fileName: "\(id).md", text: text))
        }
        return drafts
    }

    /// "What happens when my OAuth token expires?" → "oauth-token-expires".
    static func slug(_ title: String) -> String {
        let filler: Set<String> = ["a", "an", "the", "my", "i", "do", "does", "what", "how", "can", "is", "are", "when", "to", "of", "for", "if", "or", "and", "should", "happens", "which", "who"]
        let words = title.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        let kept = words.filter { !filler.contains($0) }
        return (kept.isEmpty ? words : kept).prefix(6).joined(separator: "-")
    }

    static func suggestedTags(title: String, body: String) -> [String] {
        var tags: [String] = []
        let text = title + " " + body
        for token in text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" && $0 != "-" }) {
            let word = String(token)
            let isIdentifier = word.contains("_") || (word.contains("-") && word.contains(where: \.isUppercase))
                || (word.contains(where: \.isNumber) && word.contains(where: \.isLetter))
            if isIdentifier, !tags.contains(word) { tags.append(word) }
        }
        let lower = text.lowercased()
        for keyword in ["oauth", "api key", "refresh token", "scope", "client credentials", "basic", "service user", "password", "admin"]
        where lower.contains(keyword) && !tags.contains(keyword) {
            tags.append(keyword)
        }
        return Array(tags.prefix(12))
    }

    static func suggestedMethods(title: String, body: String) -> [String] {
        let text = (title + " " + body).lowercased()
        var methods: [String] = []
        if text.contains("api key") || text.contains("api_key") { methods.append(AuthType.apiKey.rawValue) }
        if text.contains("basic auth") || text.contains("authorization: basic") { methods.append(AuthType.basic.rawValue) }
        if text.contains("service user") || text.contains("service account") { methods.append(AuthType.serviceUser.rawValue) }
        if text.contains("client credentials") || text.contains("client_credentials") { methods.append(AuthType.oauth2ClientCredentials.rawValue) }
        if text.contains("authorization code") || text.contains("authorization_code") || text.contains("refresh token") {
            methods.append(AuthType.oauth2AuthorizationCode.rawValue)
        }
        return methods
    }

    static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
