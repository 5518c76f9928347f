import Foundation
import HubDoctorCore
import HubDoctorTransport

/// Probe, classify, bundle, render: what `diagnose` and `demo` share.
struct DiagnoseFlow {
    var toolkit: Toolkit
    var format: OutputFormat
    var bundle: String?
    var noBundle: Bool
    var verbose: Bool
    var options: ProbeOptions
    var state: StateDirectory? = StateDirectory.default()
    var console = Console.standard

    /// Runs the diagnosis and returns the exit status.
    func run(_ connection: Connection) async throws -> Int32 {
        for warning in connection.warnings { console.warning(warning) }
        let methods = try ProbeRunner.select(connection, only: options.only)
        let redactor = Redactor()
        let history = CredentialHistory(state: state)
        let progress = ProgressDisplay(console: console, methods: methods.map(\.id), quiet: format == .json && !console.stderrIsTerminal)
        var runner = ProbeRunner(transport: CurlTransport(), redactor: redactor, history: history, state: state, knowledge: toolkit.knowledge)
        runner.progress = { id, step in progress.update(id, step) }
        runner.notice = { message in
            progress.finish()
            Console.standard.warning(message)
        }
        let runs = try await runner.run(connection, options: options)
        progress.finish()
        let provider = runner.provider(for: connection)
        var diagnosis = toolkit.diagnoser.diagnose(connection, runs: runs, provider: provider)
        diagnosis.warnings = connection.warnings.map(redactor.redact)

        let failed = diagnosis.methods.contains { $0.status != .works }
        if !noBundle, failed || bundle != nil {
            let destination = BundleWriter.destination(bundle, connection: connection.name, date: diagnosis.generatedAt)
            diagnosis.bundle = destination.path
            let versions = Toolkit.environmentInfo
            let offsets = Dictionary(uniqueKeysWithValues: runs.compactMap { run in run.context.clockOffset.map { (run.id, $0) } })
            let environment = EnvironmentInfo.current(libcurl: versions.curl, tls: versions.tls, clockOffsets: offsets)
            let files = try BundleWriter.files(diagnosis, environment: environment, redactions: redactor.redactionCounts)
            try BundleWriter.write(files, to: destination)
        }
        render(diagnosis)
        return diagnosis.exitCode
    }

    func render(_ diagnosis: Diagnosis) {
        switch format {
        case .json:
            console.output((try? DiagnosisRenderer.json(diagnosis)) ?? "{}")
        case .markdown:
            console.output(DiagnosisRenderer(style: .plain).markdown(diagnosis))
            if let bundle = diagnosis.bundle { console.error("Support bundle: \(bundle)") }
        case .text:
            let renderer = DiagnosisRenderer(style: console.outputStyle)
            console.output(renderer.text(diagnosis, verbose: verbose))
            if let bundle = diagnosis.bundle {
                console.output("")
                console.output(console.outputStyle.bold("Support bundle: ") + bundle)
                console.output("Send it to \(TicketWriter.recipient) (ticket.eml inside is a ready draft): \(TicketWriter.mailto(diagnosis))")
            }
        }
    }
}
