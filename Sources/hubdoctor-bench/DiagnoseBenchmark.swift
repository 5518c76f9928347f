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

    /// hubdoctor's environment for a harness: this process's, with the harness's own folders.
    static func environment(_ harness: SimulatorHarness) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(harness.environment) { $1 }.merging(["NO_COLOR": "1"]) { $1 }
    }

    static func oneMethodVersusCurl() throws {
        let harness = try SimulatorHarness(scenario: Scenario.named("healthy")!, methods: [.apiKey], admin: false)
        let (simulator, files) = (harness.simulator, harness.files)
        let url = simulator.baseURL + ProviderSimulator.apiPath
        guard let curl = Measure.which("curl") else { print("(curl not installed)"); return }
        let runs = 31
        let results = try Measure.sideBySide([
            ("hubdoctor diagnose (1 API-key method)", Measure.hubdoctor, ["diagnose", files.connection.path, "--no-bundle"], environment(harness)),
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
        let harness = try SimulatorHarness(scenario: Scenario.named("healthy")!)
        harness.simulator.answerDelay = 0.2
        let files = harness.files
        let environment = environment(harness)
        let runs = 9
        var commands: [Measure.Command] = [
            ("all five methods", Measure.hubdoctor, ["diagnose", files.connection.path, "--no-bundle"], environment),
        ]
        for method in AuthType.allCases {
            commands.append(("only \(method.rawValue)", Measure.hubdoctor, ["diagnose", files.connection.path, "--no-bundle", "--only", method.rawValue], environment))
        }
        let results = try Measure.sideBySide(commands, runs: runs, warmup: 1)
        var rows = [["whole process, every answer delayed 200 ms", "runs", "median ms"]]
        for command in commands { rows.append([command.label, "\(runs)", Measure.format(Measure.median(results[command.label]!))]) }
        print(Measure.table(rows))
        let slowest = AuthType.allCases.map { Measure.median(results["only \($0.rawValue)"]!) }.max()!
        let all = Measure.median(results["all five methods"]!)
        var peaks: [Double] = []
        for _ in 0..<5 {
            if let peak = try Measure.peakMemoryKiB(Measure.hubdoctor, ["diagnose", files.connection.path, "--no-bundle", "--verbose"], environment: environment) {
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
