import Foundation

/// Runs the built `hubdoctor` binary, as a user would, and captures what it prints.
public struct CommandRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `hubdoctor` built beside the test bundle.
    public static var binary: URL {
        let bundle = Bundle.main.bundleURL
        for directory in [bundle, bundle.deletingLastPathComponent(), URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent("hubdoctor")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/debug/hubdoctor")
    }

    /// Runs `hubdoctor arguments...` with `environment` added to a clean one (HOME and caches in a temp folder).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil, directory: URL? = nil, timeout: TimeInterval = 60
    ) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1"]
        if environment["HOME"] == nil {
            let home = try Fixtures.temporaryDirectory("hubdoctor-home")
            env["HOME"] = home.path
            env["XDG_CACHE_HOME"] = home.appendingPathComponent(".cache").path
            env["XDG_STATE_HOME"] = home.appendingPathComponent(".state").path
        }
        env.merge(environment) { $1 }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes while the process runs so a large output cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var stdoutData = Data()
        nonisolated(unsafe) var stderrData = Data()
        group.enter()
        DispatchQueue.global().async { stdoutData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { stderrData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw NSError(domain: "CommandRunner", code: 1, userInfo: [NSLocalizedDescriptionKey: "hubdoctor \(arguments) timed out"])
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

extension CommandRunner.Result {
    /// Standard output as one JSON object (`--format json`).
    public func jsonObject() throws -> [String: Any] {
        do { return try Fixtures.jsonObject(Data(stdout.utf8)) } catch { throw FixtureError("\(error); stderr: \(stderr.prefix(500))") }
    }
}
