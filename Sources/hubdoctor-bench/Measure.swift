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

    /// Runs a command once (output discarded) and returns its wall-clock time and exit status.
    /// (The rusage of a posix_spawn'ed child carries the parent's peak memory through exec; see
    /// `peakMemoryKiB` for memory.)
    static func processOnce(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (milliseconds: Double, status: Int32) {
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = environment ?? ProcessInfo.processInfo.environment
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let start = now()
        let spawned = argv.withUnsafeBufferPointer { args in
            envp.withUnsafeBufferPointer { environment in
                posix_spawn(&pid, executable, &actions, nil, UnsafeMutablePointer(mutating: args.baseAddress!), UnsafeMutablePointer(mutating: environment.baseAddress!))
            }
        }
        guard spawned == 0 else { throw NSError(domain: "bench", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable)"]) }
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        let elapsed = now() - start
        return (elapsed, (status >> 8) & 0xff)
    }

    /// The peak resident memory of one run, in KiB, measured by GNU time (which forks a small
    /// process, so the figure is the command's own); nil when /usr/bin/time is not installed.
    static func peakMemoryKiB(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Int? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { return nil }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("hubdoctor-bench-time-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        _ = try processOnce("/usr/bin/time", ["-f", "%M", "-o", output.path, executable] + arguments, environment: environment)
        return (try? String(contentsOf: output, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "") }
    }

    /// Runs commands interleaved (A B A B ...) so that machine noise hits both alike.
    /// A command to time: what the table calls it, and how to run it (environment nil: this one's).
    typealias Command = (label: String, executable: String, arguments: [String], environment: [String: String]?)

    static func sideBySide(_ commands: [Command], runs: Int, warmup: Int = 2) throws -> [String: [Double]] {
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
