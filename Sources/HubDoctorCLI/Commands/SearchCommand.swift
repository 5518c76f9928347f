import ArgumentParser
import Foundation
import HubDoctorCore
import HubDoctorSearch

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the offline knowledge base for a question or a pasted error message.",
        discussion: """
            Examples:
              hubdoctor search refresh token expired
              hubdoctor search 'AADSTS700082: The refresh token has expired due to inactivity'
              hubdoctor search --format json invalid_grant
            """)

    @Argument(help: "Words, a question, or an error message.")
    var query: [String] = []

    @Option(help: "How many results to show.")
    var limit: Int = 5

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var knowledge: KnowledgeOptions

    func validate() throws {
        if format == .markdown { throw ValidationError("search prints text or json.") }
        if limit < 1 || limit > 100 { throw ValidationError("--limit must be between 1 and 100.") }
    }

    func run() async throws {
        let text = query.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw HubDoctorError(.usage, "search needs a query, e.g. `hubdoctor search refresh token expired` or a pasted error message.")
        }
        let console = Console.standard
        let cacheDirectory = KnowledgeIndex.defaultCacheDirectory()
        let resolved = try knowledge.resolved()
        let index = try KnowledgeIndex.open(resolved, cacheDirectory: cacheDirectory)
        if let warning = index.cacheWarning { console.warning(warning) }
        // A pasted error is also classified, and the entry for its class is lifted: "invalid_grant"
        // is about refresh tokens even where the words do not say so.
        var boost: [String: Double] = [:]
        if KnowledgeIndex.looksLikeError(text), let base = try? KnowledgeCache.load(resolved, cacheDirectory: cacheDirectory) {
            let toolkit = Toolkit(knowledge: base)
            boost = Explainer(classifier: toolkit.classifier, extractor: toolkit.extractor).searchBoost(for: text)
        }
        let hits = try index.search(text, limit: limit, boost: boost)
        switch format {
        case .json:
            let results = hits.map { hit in
                var plain = hit
                plain.snippet = hit.snippet(highlightedWith: "", "")
                return plain
            }
            console.output(try Console.json(SearchJSON(results: results)))
        default:
            let style = console.outputStyle
            guard !hits.isEmpty else {
                console.output("No entry matches \"\(text)\". Try fewer or other words, or `hubdoctor kb list`.")
                return
            }
            for (position, hit) in hits.enumerated() {
                let tag = style.dim("[\(hit.kind): \(hit.id)]")
                console.output("\(String(format: "%2d", position + 1)). \(style.bold(hit.title))  \(tag)")
                let snippet = hit.snippet(highlightedWith: style.color ? "\u{1B}[1;33m" : "", style.color ? "\u{1B}[0m" : "")
                console.output("    \(snippet)")
            }
            console.output(style.dim("\nRead an entry: hubdoctor kb show ID"))
        }
    }
}

struct SearchJSON: Encodable {
    let schema = "hubdoctor.search/v1"
    let results: [SearchHit]
}
