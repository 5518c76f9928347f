import ArgumentParser
import Foundation
import HubDoctorCore
import HubDoctorSimulator

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Diagnose a built-in connection against a local simulated provider (no account, no network).",
        discussion: "Without --bundle, the support bundle goes to a temporary folder.\n\nScenarios:\n" + Scenario.all.map { "  \($0.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

    @Argument(help: "The scenario to play (default: mixed). `--list` shows them all.")
    var scenario: String = Scenario.all[0].name

    @Flag(help: "List the scenarios and exit.")
    var list = false

    @OptionGroup var report: ReportOptions

    @Option(help: "Seconds allowed for each request.")
    var timeout: Double = 2

    @OptionGroup var knowledge: KnowledgeOptions

    func run() async throws {
        if list {
            for scenario in Scenario.all { Console.standard.output("\(scenario.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(scenario.summary)") }
            return
        }
        guard let chosen = Scenario.named(scenario) else {
            let suggestion = Spelling.suggestion(for: scenario, in: Scenario.all.map(\.name))
            throw HubDoctorError(.usage, "there is no demo scenario '\(scenario)'.\(suggestion) See `hubdoctor demo --list`.")
        }
        let toolkit = try Toolkit(knowledge)
        let simulator = ProviderSimulator(scenario: chosen)
        try simulator.start()
        defer { simulator.stop() }
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("hubdoctor-demo-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let files = try DemoConnection.write(for: simulator, scenario: chosen, into: workspace)
        let connection = try ConnectionFileParser.load(path: files.connection.path)
        if report.format == .text {
            Console.standard.error(Console.standard.errorStyle.dim("Simulated provider at \(simulator.baseURL), scenario \(chosen.name): \(chosen.summary)."))
        }
        var report = self.report
        if !report.noBundle, report.bundle == nil {
            report.bundle = FileManager.default.temporaryDirectory.appendingPathComponent("hubdoctor-demo-bundles").path
        }
        let flow = DiagnoseFlow(
            toolkit: toolkit, report: report, options: ProbeOptions(timeout: timeout, trace: report.verbose), state: StateDirectory(url: workspace.appendingPathComponent("state")))
        let status = try await flow.run(connection)
        if status != 0 { throw ExitCode(status) }
    }
}
