import Foundation
import HubDoctorCore
import HubDoctorSearch
import HubDoctorTestSupport

/// Index build time, in-process query latency and whole-process `hubdoctor search` next to `rg -i`,
/// for the shipped knowledge base and for a generated one of 10,000 entries.
enum SearchBenchmark {
    static let queries = [
        "refresh token expired", "invalid_grant", "AADSTS700082", "refesh tokn", "who do I email about authentication problems",
        "rotated api key", "X-Service-User-ID", "429 Too Many Requests", "redirect uri mismatch localhost", "admin consent required",
        "changed my password connection broken", "client credentials workday", "self signed certificate", "scopes",
    ]

    static func run() async throws {
        let shipped = try knowledgeFolder()
        print("## search\n")
        print("Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(ProcessInfo.processInfo.operatingSystemVersionString)\n")
        try measure(label: "shipped base", folder: shipped)
        let generated = try generateBase(entries: 10_000, from: shipped)
        try measure(label: "generated base, 10,000 entries", folder: generated)
    }

    static func queriesOnly() async throws {
        let files = try KnowledgeFiles.read(directory: try generateBase(entries: 10_000, from: try knowledgeFolder()))
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("hubdoctor-bench-profile")
        let index = try KnowledgeIndex.open(files: files, cacheDirectory: cache)
        let latencies = try queryLatencies(index)
        for query in queries { print(Measure.format(Measure.median(latencies[query]!)), query) }
    }

    /// Every query 20 times, interleaved, each timed alone.
    static func queryLatencies(_ index: KnowledgeIndex) throws -> [String: [Double]] {
        var latencies: [String: [Double]] = [:]
        for _ in 0..<20 {
            for query in queries { latencies[query, default: []] += try Measure.times(runs: 1) { _ = try index.search(query, limit: 5) } }
        }
        return latencies
    }

    static func knowledgeFolder() throws -> URL {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("knowledge")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("classes").path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw HubDoctorError(.noInput, "run the benchmark from the repository (knowledge/ not found)")
    }

    static func measure(label: String, folder: URL) throws {
        let files = try KnowledgeFiles.read(directory: folder)
        let entryCount = files.files.filter { !$0.path.hasPrefix("rules/") }.count
        print("### \(label): \(entryCount) entries, \(files.files.reduce(0) { $0 + $1.text.utf8.count } / 1024) KiB\n")

        let buildRuns = entryCount > 1000 ? 3 : 7
        let builds = try Measure.times(runs: buildRuns) { _ = try KnowledgeIndex.open(files: files, cacheDirectory: nil) }
        let index = try KnowledgeIndex.open(files: files, cacheDirectory: nil)
        let latencies = try queryLatencies(index).values.flatMap { $0 }
        print(Measure.table([
            ["in process", "runs", "median ms", "p99 ms"],
            ["index build (parse + FTS5 + trigram vocabulary)", "\(buildRuns)", Measure.format(Measure.median(builds)), Measure.format(Measure.percentile(builds, 99))],
            ["query (\(queries.count) queries × 20)", "\(latencies.count)", Measure.format(Measure.median(latencies)), Measure.format(Measure.percentile(latencies, 99))],
        ]))
        print()

        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("hubdoctor-bench-cache-\(UUID().uuidString)")
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = cache.path
        environment["NO_COLOR"] = "1"
        let hubdoctor = Measure.hubdoctor
        // First run builds and caches the index.
        let first = try Measure.processOnce(hubdoctor, ["search", "--knowledge", folder.path, "refresh token"], environment: environment)
        var commands: [Measure.Command] = [
            ("hubdoctor search (cached index)", hubdoctor, ["search", "--knowledge", folder.path, "refresh token"], environment),
        ]
        if folder.path == (try? knowledgeFolder().path) {
            commands.append(("hubdoctor search (built-in base)", hubdoctor, ["search", "refresh token"], environment))
        }
        let rg = Measure.which("rg")
        if let rg { commands.append(("rg -i", rg, ["-i", "refresh token", folder.path], nil)) }
        let runs = entryCount > 1000 ? 15 : 31
        let results = try Measure.sideBySide(commands, runs: runs)
        var rows = [["whole process, query \"refresh token\"", "runs", "median ms", "min ms"]]
        rows.append(["hubdoctor search, first run (builds the cache)", "1", Measure.format(first.milliseconds), "-"])
        for command in commands {
            let values = results[command.label] ?? []
            rows.append([command.label, "\(values.count)", Measure.format(Measure.median(values)), Measure.format(values.min() ?? .nan)])
        }
        print(Measure.table(rows))
        if let rg = results["rg -i"], let ours = results["hubdoctor search (cached index)"] {
            print("\nhubdoctor / rg median ratio: \(String(format: "%.2f", Measure.median(ours) / Measure.median(rg)))x")
        } else if rg == nil {
            print("\n(rg not installed: `apt-get install ripgrep` to compare)")
        }
        print()
        try? FileManager.default.removeItem(at: cache)
    }

    /// A copy of the shipped base plus generated FAQ entries built from its own sentences and codes,
    /// so term frequencies look like real entries rather than random strings.
    static func generateBase(entries: Int, from shipped: URL) throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("hubdoctor-bench-kb-\(entries)")
        if FileManager.default.fileExists(atPath: target.appendingPathComponent("faq/gen-\(entries).md").path) { return target }
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: shipped, to: target)
        let base = KnowledgeBase.load(try KnowledgeFiles.read(directory: shipped))
        var sentences: [String] = []
        var tags: [String] = []
        for entry in base.entries {
            sentences += entry.body.split(whereSeparator: { $0 == "." || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count > 30 && !$0.hasPrefix("#") && !$0.contains("```") }
            tags += entry.tags
        }
        var generator = SeededGenerator(seed: 42)
        let titleWords = sentences.flatMap { $0.split(separator: " ").map(String.init) }.filter { $0.count > 3 && $0.allSatisfy(\.isLetter) }
        for number in 1...entries {
            let title = (0..<6).map { _ in titleWords.randomElement(using: &generator)! }.joined(separator: " ")
            let body = (0..<Int.random(in: 4...9, using: &generator)).map { _ in sentences.randomElement(using: &generator)! + "." }.joined(separator: " ")
            let entryTags = (0..<4).map { _ in "\"" + tags.randomElement(using: &generator)!.replacingOccurrences(of: "\"", with: "") + "\"" }
            let text = "---\nid: gen-\(number)\ntitle: \"\(title.capitalized)?\"\ntags: [\(entryTags.joined(separator: ", "))]\nclasses: []\nmethods: []\n---\n\(body)\n"
            try Data(text.utf8).write(to: target.appendingPathComponent("faq/gen-\(number).md"))
        }
        return target
    }
}

