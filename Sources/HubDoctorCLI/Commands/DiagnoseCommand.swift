import ArgumentParser
import Foundation
import HubDoctorCore

struct DiagnoseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Probe a connection with every configured auth method and name each failure.",
        discussion: """
            Every method is probed at the same time, once, over libcurl; each failure is classified from
            the evidence, with the steps that fix it. When a method fails, a redacted support bundle is
            written to the current folder (or to --bundle).

            Examples:
              hubdoctor diagnose acme.yaml
              hubdoctor diagnose acme.yaml --only oauth --format json
              hubdoctor diagnose acme.yaml --verbose --bundle /tmp/bundles
            """)

    @Argument(help: "The connection file (see `hubdoctor init`).")
    var connection: String

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Probe only these methods (their ids).", valueName: "ID"))
    var only: [String] = []

    @OptionGroup var report: ReportOptions

    @Option(help: "Seconds allowed for each request, connection included.")
    var timeout: Double = 30

    @Flag(name: .customLong("try-schemes"), help: "When a key is refused, try the other usual ways of sending it (a few requests).")
    var trySchemes = false

    @OptionGroup var knowledge: KnowledgeOptions

    func validate() throws {
        if timeout <= 0 || timeout > 600 { throw ValidationError("--timeout must be between 0 and 600 seconds.") }
    }

    func run() async throws {
        let toolkit = try Toolkit(knowledge)
        let loaded = try ConnectionFileParser.load(path: connection)
        let flow = DiagnoseFlow(
            toolkit: toolkit, report: report,
            options: ProbeOptions(timeout: timeout, trace: report.verbose, trySchemes: trySchemes, only: only))
        let status = try await flow.run(loaded)
        if status != 0 { throw ExitCode(status) }
    }
}
