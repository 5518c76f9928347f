import Foundation
import HubDoctorCore
import HubDoctorTransport

/// What `diagnose` and `demo` share: run the pipeline, write the bundle, render.
struct DiagnoseFlow {
    var toolkit: Toolkit
    var report: ReportOptions
    var options: ProbeOptions
    var state: StateDirectory? = StateDirectory.default()
    var console = Console.standard

    /// Runs the diagnosis and returns the exit status.
    func run(_ connection: Connection) async throws -> Int32 {
        let methods = try ProbeRunner.select(connection, only: options.only)
        let progress = ProgressDisplay(console: console, methods: methods.map(\.id), quiet: report.format == .json && !console.stderrIsTerminal)
        var pipeline = DiagnosisPipeline(
            transport: CurlTransport(), knowledge: toolkit.knowledge, markup: toolkit.markup, state: state, versions: Toolkit.environmentInfo)
        pipeline.progress = { id, step in progress.update(id, step) }
        let console = self.console
        pipeline.notice = { message in
            progress.finish()
            console.warning(message)
        }
        var outcome = try await pipeline.run(connection, options: options)
        progress.finish()
        let failed = outcome.diagnosis.methods.contains { $0.status != .works }
        if !report.noBundle, failed || report.bundle != nil {
            let destination = BundleWriter.destination(report.bundle, connection: connection.name, date: outcome.diagnosis.generatedAt)
            outcome.diagnosis.bundle = destination.path
            try BundleWriter.write(try outcome.bundleFiles(versions: pipeline.versions), to: destination)
        }
        render(outcome.diagnosis)
        return outcome.diagnosis.exitCode
    }

    func render(_ diagnosis: Diagnosis) {
        switch report.format {
        case .json:
            console.output((try? DiagnosisRenderer.json(diagnosis)) ?? "{}")
        case .markdown:
            console.output(DiagnosisRenderer(style: .plain).markdown(diagnosis))
            if let bundle = diagnosis.bundle { console.error("Support bundle: \(bundle)") }
        case .text:
            let renderer = DiagnosisRenderer(style: console.outputStyle)
            console.output(renderer.text(diagnosis, verbose: report.verbose))
            if let bundle = diagnosis.bundle {
                console.output("")
                console.output(console.outputStyle.bold("Support bundle: ") + bundle)
                console.output("Send it to \(TicketWriter.recipient) (ticket.eml inside is a ready draft): \(TicketWriter.mailto(diagnosis))")
            }
        }
    }
}
