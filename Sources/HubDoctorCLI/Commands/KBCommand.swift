import ArgumentParser
import Foundation
import HubDoctorCore
import HubDoctorMarkup
import HubDoctorTransport

struct KBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "List, show, check and grow the knowledge base.",
        subcommands: [KBListCommand.self, KBShowCommand.self, KBLintCommand.self, KBIngestCommand.self])
}

struct KBListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the entries of the knowledge base.")

    @Option(help: "Only entries of this kind: faq, class or provider.")
    var kind: String?

    @OptionGroup var knowledge: KnowledgeOptions

    func run() async throws {
        let base = try knowledge.base()
        let wanted: KnowledgeEntry.Kind?
        if let kind {
            guard let value = KnowledgeEntry.Kind(rawValue: kind) else {
                throw HubDoctorError(.usage, "--kind takes faq, class or provider, not '\(kind)'.")
            }
            wanted = value
        } else {
            wanted = nil
        }
        let style = Console.standard.outputStyle
        let entries = base.entries.filter { wanted == nil || $0.kind == wanted }
        let width = min(entries.map(\.id.count).max() ?? 0, 36)
        for group in KnowledgeEntry.Kind.allCases {
            let members = entries.filter { $0.kind == group }
            guard !members.isEmpty else { continue }
            Console.standard.output(style.bold("\(group.folder) (\(members.count))"))
            for entry in members {
                Console.standard.output("  \(entry.id.padding(toLength: max(width, entry.id.count), withPad: " ", startingAt: 0))  \(entry.title)")
            }
        }
        if wanted == nil {
            Console.standard.output(style.dim("\n\(base.rules.count) rules in \(base.rulePacks.count) packs. Read an entry: hubdoctor kb show ID"))
        }
    }
}

struct KBShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one entry, rendered for the terminal.")

    @Argument(help: "The entry's id (see `hubdoctor kb list`).")
    var id: String

    @Option(help: "text (rendered), markdown (the source) or json.")
    var format: OutputFormat = .text

    @OptionGroup var knowledge: KnowledgeOptions

    func run() async throws {
        let base = try knowledge.fullBase()
        guard let entry = base.entry(id: id) ?? base.provider(named: id) else {
            let suggestion = Spelling.suggestion(for: id, in: base.entries.map(\.id))
            throw HubDoctorError(.usage, "no entry has the id '\(id)'.\(suggestion) List them with `hubdoctor kb list`.")
        }
        let console = Console.standard
        switch format {
        case .json:
            console.output(try Console.json(entry))
        case .markdown:
            console.output("# \(entry.title)\n\(entry.body)")
        case .text:
            let style = console.outputStyle
            console.output(style.bold(style.underline(entry.title)))
            var facts = ["\(entry.kind.rawValue): \(entry.id)"]
            if !entry.classes.isEmpty, entry.kind != .failureClass { facts.append("classes: \(entry.classes.joined(separator: ", "))") }
            if !entry.methods.isEmpty { facts.append("methods: \(entry.methods.joined(separator: ", "))") }
            console.output(style.dim(facts.joined(separator: "  ·  ")))
            console.output("")
            console.output(MarkdownRenderer(style: style).render(entry.body))
            let related = entry.seeAlso.compactMap { base.entry(id: $0) }
            if !related.isEmpty {
                console.output("\n" + style.bold("See also"))
                for other in related { console.output("  \(other.title)  \(style.dim("(hubdoctor kb show \(other.id))"))") }
            }
        }
    }
}

struct KBLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check every entry and rule: ids, required fields, classes, references, patterns.",
        discussion: "Prints one `file:line: problem` per line and exits 65 when there is any.")

    @OptionGroup var knowledge: KnowledgeOptions

    func run() async throws {
        let files = try knowledge.files()
        let base = KnowledgeBase.load(files)
        let console = Console.standard
        if base.problems.isEmpty {
            let counts = KnowledgeEntry.Kind.allCases.map { kind in "\(base.entries.filter { $0.kind == kind }.count) \(kind.folder)" }
            console.output(
                "\(files.origin): OK — \(base.entries.count) entries (\(counts.joined(separator: ", "))), \(base.rules.count) rules in \(base.rulePacks.count) packs.")
            return
        }
        for problem in base.problems { console.output(problem.description) }
        console.error("\(base.problems.count) problem(s) in \(files.origin).")
        throw ExitCode(ExitStatus.dataError)
    }
}

struct KBIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Turn a documentation page (HTML, Markdown, llms.txt; file or URL) into draft FAQ entries.",
        discussion: """
            Question headings become entries and the content under them their body (code blocks kept);
            navigation, headers, footers and sidebars are left out. Drafts pass `kb lint`; reword them in the
            project's own words, fill in classes and see_also, then move them into knowledge/faq/.
            """)

    @Argument(help: "A file path or an http(s) URL.")
    var source: String

    @Option(name: .shortAndLong, help: "The folder to write drafts into.")
    var output: String = "knowledge-drafts"

    @Flag(help: "Replace drafts that already exist in the output folder.")
    var force = false

    @Option(help: "Request timeout in seconds when SOURCE is a URL.")
    var timeout: Double = 30

    @OptionGroup var knowledge: KnowledgeOptions

    func run() async throws {
        let console = Console.standard
        let (data, name) = try await load()
        let text = String(decoding: data, as: UTF8.self)
        let document: IngestDocument
        let kind: String
        if Self.looksLikeHTML(text, name: name) {
            document = HTMLSectionExtractor().document(fromHTML: data)
            kind = "HTML"
        } else if MarkdownIngest.looksLikeLLMSText(text, name: name) {
            document = MarkdownIngest.document(fromLLMSText: text)
            kind = "llms.txt index"
        } else {
            document = MarkdownIngest.document(fromMarkdown: text)
            kind = "Markdown"
        }
        let existing = Set((try? knowledge.base())?.entries.map(\.id) ?? [])
        let drafts = DraftEntries.make(from: document, source: source, existingIDs: existing)
        guard !drafts.isEmpty else {
            throw HubDoctorError(.dataError, "\(source): found no headed sections to turn into entries (read as \(kind)).")
        }
        let directory = URL(fileURLWithPath: output, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw HubDoctorError(.usage, "cannot create the output folder \(directory.path): \(error.localizedDescription).")
        }
        var written: [String] = []
        for draft in drafts {
            let url = directory.appendingPathComponent(draft.fileName)
            if FileManager.default.fileExists(atPath: url.path), !force {
                console.warning("\(url.path) exists; left alone (use --force to replace it).")
                continue
            }
            try Data(draft.text.utf8).write(to: url, options: .atomic)
            written.append(draft.fileName)
        }
        console.output("Read \(source) as \(kind)\(document.title.map { " (\"\($0)\")" } ?? ""): \(document.sections.count) sections.")
        console.output("Wrote \(written.count) draft entr\(written.count == 1 ? "y" : "ies") to \(directory.path):")
        for name in written { console.output("  \(name)") }
        console.output("Next: reword each draft in the project's own words, set classes and see_also, move it to knowledge/faq/, and run `hubdoctor kb lint`.")
    }

    static func looksLikeHTML(_ text: String, name: String) -> Bool {
        let lower = name.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return true }
        if lower.hasSuffix(".md") || lower.hasSuffix(".txt") { return false }
        let head = text.prefix(2048).lowercased()
        return head.contains("<!doctype html") || head.contains("<html") || head.contains("<body") || head.contains("<h1") || head.contains("<p>")
    }

    private func load() async throws -> (Data, String) {
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            let exchange = await CurlTransport().perform(
                HTTPRequest(method: "GET", url: source, headers: [HTTPHeader("Accept", "text/html, text/markdown, text/plain")]),
                options: TransportOptions(timeout: timeout, bodyCap: 16 << 20))
            if let failure = exchange.failure {
                throw HubDoctorError(.noInput, "cannot fetch \(source): \(failure.message) (\(failure.code)).")
            }
            guard let status = exchange.status, (200..<300).contains(status) else {
                throw HubDoctorError(.noInput, "cannot fetch \(source): the server answered \(exchange.status.map(String.init) ?? "nothing").")
            }
            let type = exchange.headers.value("Content-Type") ?? ""
            let name = type.contains("html") ? "page.html" : (URL(string: exchange.finalURL)?.lastPathComponent ?? "page")
            return (exchange.body, name)
        }
        guard let data = FileManager.default.contents(atPath: source) else {
            throw HubDoctorError(.noInput, "cannot read \(source): the file does not exist or is not readable.")
        }
        return (data, source)
    }
}
