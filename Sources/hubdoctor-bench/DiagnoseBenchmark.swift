import Foundation
import HubDoctorCore
import HubDoctorSimulator
import HubDoctorTestSupport

/// `hubdoctor diagnose` next to curl making the same request, five methods against a slow
/// provider next to the slowest single method, and peak memory.
enum DiagnoseBenchmark {
    static func run() async throws {
        print("## diagnose\n")
        try oneMethodVersusCurl()
        try fiveMethodsVersusSlowest()
    }

    static func workspace(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hubdoctor-bench-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func environment(_ home: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment["XDG_STATE_HOME"] = home.appendingPathComponent("state").path
        environment["XDG_CACHE_HOME"] = home.appendingPathComponent("cache").path
        environment["NO_COLOR"] = "1"
        return environment
    }

    static func oneMethodVersusCurl() throws {
        let simulator = ProviderSimulator(scenario: Scenario.named("healthy")!)
        try simulator.start()
        defer { simulator.stop() }
        let home = try workspace("one")
        let files = try DemoConnection.write(for: simulator, scenario: simulator.scenario, into: home.appendingPathComponent("c"), methods: [.apiKey], admin: false)
        let url = simulator.baseURL + ProviderSimulator.apiPath
        guard let curl = Measure.which("curl") else { print("(curl not installed)"); return }
        let runs = 31
        let results = try Measure.sideBySide([
            ("hubdoctor diagnose (1 API-key method)", Measure.hubdoctor, ["diagnose", files.connection.path, "--no-bundle"], environment(home)),
            ("curl -s the same request", curl, ["-s", "-o", "/dev/null", "-H", "Authorization: Bearer \(simulator.credentials.apiKey)", "-H", "Accept: application/json", url], nil),
        ], runs: runs)
        let ours = results["hubdoctor diagnose (1 API-key method)"]!
        let theirs = results["curl -s the same request"]!
        print(Measure.table([
            ["whole process, one request to the simulator", "runs", "median ms", "min ms"],
            ["hubdoctor diagnose (1 API-key method)", "\(ours.count)", Measure.format(Measure.median(ours)), Measure.format(ours.min()!)],
            ["curl -s the same request", "\(theirs.count)", Measure.format(Measure.median(theirs)), Measure.format(theirs.min()!)],
        ]))
        print("\nhubdoctor / curl median ratio: \(String(format: "%.2f", Measure.median(ours) / Measure.median(theirs)))x (goal: within 1.5x)\n")
    }

    static func fiveMethodsVersusSlowest() throws {
        let simulator = ProviderSimulator(scenario: Scenario.named("healthy")!)
        simulator.answerDelay = 0.2
        try simulator.start()
        defer { simulator.stop() }
        let home = try workspace("five")
        let files = try DemoConnection.write(for: simulator, scenario: simulator.scenario, into: home.appendingPathComponent("c"))
        let runs = 9
        var commands: [(label: String, executable: String, arguments: [String], environment: [String: String]?)] = [
            ("all five methods", Measure.hubdoctor, ["diagnose", files.connection.path, "--no-bundle"], environment(home)),
        ]
        for method in AuthType.allCases {
            commands.append(("only \(method.rawValue)", Measure.hubdoctor, ["diagnose", files.connection.path, "--no-bundle", "--only", method.rawValue], environment(home)))
        }
        let results = try Measure.sideBySide(commands, runs: runs, warmup: 1)
        var rows = [["whole process, every answer delayed 200 ms", "runs", "median ms"]]
        for command in commands { rows.append([command.label, "\(runs)", Measure.format(Measure.median(results[command.label]!))]) }
        print(Measure.table(rows))
        let slowest = AuthType.allCases.map { Measure.median(results["only \($0.rawValue)"]!) }.max()!
        let all = Measure.median(results["all five methods"]!)
        var peaks: [Double] = []
        for _ in 0..<5 {
            if let peak = try Measure.peakMemoryKiB(Measure.hubdoctor, ["diagnose", files.connection.path, "--no-bundle", "--verbose"], environment: environment(home)) {
                peaks.append(Double(peak))
            }
        }
        print("\nall five / slowest single method: \(String(format: "%.2f", all / slowest))x (goal: within 1.2x)")
        if let worst = peaks.max() {
            print("peak resident memory of a five-method diagnosis (--verbose), largest of \(peaks.count) runs: \(String(format: "%.1f", worst / 1024)) MiB (goal: below 40 MB)\n")
        } else {
            print("peak resident memory: /usr/bin/time is not installed (apt-get install time)\n")
        }
    }
}
