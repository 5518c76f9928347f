import Foundation

// hubdoctor-bench: the figures in BENCHMARKS.md, measured side by side with reference tools.
// Run through `scripts/bench [suite]`: it makes the static release build the README installs
// (into .build-release) and runs this with it.
let arguments = Array(CommandLine.arguments.dropFirst())
let suites: [String: () async throws -> Void] = [
    "search": SearchBenchmark.run,
    "classify": ClassifyBenchmark.run,
    "diagnose": DiagnoseBenchmark.run,
    "explain": ExplainBenchmark.run,
    "knowledge-load": KnowledgeLoadProbe.run,
    // The misses of the tuning part, with their evidence (for rule authors).
    "classify-misses": ClassifyBenchmark.misses,
    // Queries only, over the generated base, for profiling (`perf record`).
    "search-queries": SearchBenchmark.queriesOnly,
]
let standard = ["search", "diagnose", "classify", "explain"]
let names = arguments.isEmpty || arguments == ["all"] ? standard : arguments
for name in names {
    guard let suite = suites[name] else {
        FileHandle.standardError.write(Data("unknown benchmark '\(name)'; known: \(suites.keys.sorted().joined(separator: ", ")), all\n".utf8))
        exit(64)
    }
    do {
        try await suite()
    } catch {
        FileHandle.standardError.write(Data("benchmark \(name) failed: \(error)\n".utf8))
        exit(1)
    }
}
