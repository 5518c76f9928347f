import Foundation

/// Timing helpers: medians and percentiles over repeated runs, and whole-process timing.
enum Measure {
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1_000_000 }

    /// Milliseconds each of `runs` calls of `body` took.
    static func times(runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
        var result: [Double] = []
        for _ in 0..<runs {
            let start = now()
            try body()
            result.append(now() - start)
        }
        return result
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = max(0, min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[rank]
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Runs a command `runs` times (output discarded) and returns the wall-clock milliseconds of each run.
    static func process(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, runs: Int) throws -> [Double] {
        try (0..<runs).map { _ in try processOnce(executable, arguments, environment: environment).milliseconds }
    }

    static func processOnce(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (milliseconds: Double, status: Int32, maxRSSKiB: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = now()
        try process.run()
        process.waitUntilExit()
        let elapsed = now() - start
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return (elapsed, process.terminationStatus, usage.ru_maxrss)
    }

    /// Runs commands interleaved (A B A B ...) so that machine noise hits both alike.
    static func sideBySide(_ commands: [(label: String, executable: String, arguments: [String], environment: [String: String]?)], runs: Int, warmup: Int = 2) throws -> [String: [Double]] {
        for command in commands {
            for _ in 0..<warmup { _ = try processOnce(command.executable, command.arguments, environment: command.environment) }
        }
        var results: [String: [Double]] = [:]
        for _ in 0..<runs {
            for command in commands {
                results[command.label, default: []].append(try processOnce(command.executable, command.arguments, environment: command.environment).milliseconds)
            }
        }
        return results
    }

    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func format(_ value: Double) -> String { String(format: value < 10 ? "%.2f" : "%.1f", value) }

    /// The `hubdoctor` binary built beside this one.
    static var hubdoctor: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("hubdoctor").path
    }

    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var lines = ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
        lines += rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n")
    }
}
