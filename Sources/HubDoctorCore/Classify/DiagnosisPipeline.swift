import Foundation

/// Probe, classify and assemble the support bundle's files: everything `diagnose` and `demo` do
/// before printing. Every value it returns was redacted when recorded.
public struct DiagnosisPipeline: Sendable {
    public var transport: ProbeTransport
    public var knowledge: KnowledgeBase
    public var markup: MarkupInspector?
    public var state: StateDirectory?
    /// libcurl and TLS versions for environment.json.
    public var versions: (curl: String, tls: String)
    public var progress: @Sendable (String, String) -> Void = { _, _ in }
    /// Where what must reach the person right away goes: the connection file's warnings first,
    /// then a rotated token saved. Redacted.
    public var notice: @Sendable (String) -> Void = { _ in }

    public init(transport: ProbeTransport, knowledge: KnowledgeBase, markup: MarkupInspector?, state: StateDirectory?, versions: (curl: String, tls: String)) {
        self.transport = transport
        self.knowledge = knowledge
        self.markup = markup
        self.state = state
        self.versions = versions
    }

    public struct Outcome: Sendable {
        public var diagnosis: Diagnosis
        public var redactor: Redactor
        public var runs: [MethodRun]

        /// The bundle's files (report.md, diagnosis.json, exchanges.har, environment.json, ticket.eml, manifest.json).
        public func bundleFiles(versions: (curl: String, tls: String)) throws -> [(String, Data)] {
            let offsets = Dictionary(uniqueKeysWithValues: runs.compactMap { run in run.context.clockOffset.map { (run.id, $0) } })
            let environment = EnvironmentInfo.current(libcurl: versions.curl, tls: versions.tls, clockOffsets: offsets)
            return try BundleWriter.files(diagnosis, environment: environment, redactions: redactor.redactionCounts)
        }
    }

    public func run(_ connection: Connection, options: ProbeOptions) async throws -> Outcome {
        let redactor = Redactor()
        var runner = ProbeRunner(transport: transport, redactor: redactor, history: CredentialHistory(state: state), state: state, knowledge: knowledge)
        runner.progress = progress
        let notice = self.notice
        runner.notice = { notice(redactor.redact($0)) }
        redactor.learn(connection: connection)
        let warnings = connection.warnings.map(redactor.redact)
        for warning in warnings { notice(warning) }
        let runs = try await runner.run(connection, options: options)
        let extractor = EvidenceExtractor(markup: markup)
        let diagnoser = Diagnoser(classifier: Classifier(knowledge: knowledge, markup: markup), extractor: extractor)
        var diagnosis = diagnoser.diagnose(connection, runs: runs, provider: runner.provider(for: connection))
        diagnosis.warnings = warnings
        return Outcome(diagnosis: diagnosis, redactor: redactor, runs: runs)
    }
}
