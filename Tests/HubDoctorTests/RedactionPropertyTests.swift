import Foundation
import HubDoctorCore
import HubDoctorMarkup
import HubDoctorSimulator
import HubDoctorTestSupport
import HubDoctorTransport
import Testing

/// No secret in any byte hubdoctor writes: random secrets of many shapes, configured in every auth
/// method, against a simulator that echoes them back in headers, cookies, JSON and form bodies,
/// error messages and redirects, in plain, Base64, URL-encoded and JSON-escaped form. Each case
/// searches the whole bundle (the zip's bytes and every file in it, the ticket decoded), the three
/// report formats, the verbose trace and what would go to stderr, for every secret in every encoding.
@Suite struct RedactionPropertyTests {
    /// 1,000 by default; `HUBDOCTOR_REDACTION_CASES` changes it, `HUBDOCTOR_REDACTION_SEED` the seed.
    static let caseCount = Int(ProcessInfo.processInfo.environment["HUBDOCTOR_REDACTION_CASES"] ?? "") ?? 1000
    static let seed = UInt64(ProcessInfo.processInfo.environment["HUBDOCTOR_REDACTION_SEED"] ?? "") ?? 20_261_129

    struct Case: Sendable {
        var number: Int
        var credentials: SimulatorCredentials
        var shapes: [String: String]

        /// The secrets and personal data that must never appear, by what they are.
        var secrets: [(String, String)] {
            [("api key", credentials.apiKey), ("password", credentials.password), ("user name", credentials.username),
             ("service user id", credentials.serviceUserID), ("service user token", credentials.serviceUserToken),
             ("client secret", credentials.clientSecret), ("refresh token", credentials.refreshToken)]
        }
    }

    static func makeCase(_ number: Int) -> Case {
        var generator = SeededGenerator(seed: seed &+ UInt64(number) &* 7919)
        var shapes: [String: String] = [:]
        func secret(_ name: String) -> String {
            let shape = SecretShapes.shapes.randomElement(using: &generator)!
            shapes[name] = shape
            return SecretShapes.make(shape, &generator)
        }
        let credentials = SimulatorCredentials(
            apiKey: secret("api key"), username: "user\(number)." + SecretShapes.make("alphanumeric", &generator) + "@corp.example",
            password: secret("password"), serviceUserID: secret("service user id"), serviceUserToken: secret("service user token"),
            clientID: "client-\(number)", clientSecret: secret("client secret"), refreshToken: secret("refresh token"))
        return Case(number: number, credentials: credentials, shapes: shapes)
    }

    static let knowledge = TestKnowledge.base

    /// Runs one case in process and returns every text hubdoctor would write, by name.
    static func outputs(for testCase: Case) async throws -> [(String, Data)] {
        let simulator = ProviderSimulator(scenario: Scenario(name: "echo", summary: "echo"), credentials: testCase.credentials)
        simulator.echoSecrets = true
        try simulator.start()
        defer { simulator.stop() }
        let directory = try Fixtures.temporaryDirectory("hubdoctor-redaction")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try DemoConnection.write(for: simulator, scenario: simulator.scenario, into: directory)
        // The user name is personal data; put it in a literal to draw a warning, as users do.
        let connection = try ConnectionFileParser.load(path: files.connection.path)
        let markup = TestKnowledge.markup
        final class Notices: @unchecked Sendable {
            let lock = NSLock()
            var lines: [String] = []
            func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        }
        let notices = Notices()
        var pipeline = DiagnosisPipeline(
            transport: CurlTransport(), knowledge: knowledge, markup: markup, state: StateDirectory(url: directory.appendingPathComponent("state")),
            versions: CurlTransport.versionInfo)
        pipeline.notice = { notices.add($0) }
        pipeline.progress = { id, step in notices.add("\(id): \(step)") }
        var outcome = try await pipeline.run(connection, options: ProbeOptions(timeout: 10, trace: true))
        let bundleURL = directory.appendingPathComponent("bundle.zip")
        outcome.diagnosis.bundle = bundleURL.path
        let diagnosis = outcome.diagnosis
        let bundleFiles = try outcome.bundleFiles(versions: CurlTransport.versionInfo)
        try BundleWriter.write(bundleFiles, to: bundleURL)
        let renderer = DiagnosisRenderer(style: .plain)
        var outputs: [(String, Data)] = [
            ("text report (verbose)", Data(renderer.text(diagnosis, verbose: true).utf8)),
            ("markdown report", Data(renderer.markdown(diagnosis).utf8)),
            ("json report", Data(try DiagnosisRenderer.json(diagnosis).utf8)),
            ("stderr", Data((notices.lines + diagnosis.warnings).joined(separator: "\n").utf8)),
            ("bundle.zip bytes", try Data(contentsOf: bundleURL)),
            ("ticket body", Data(TicketWriter.body(diagnosis).utf8)),
        ]
        outputs += bundleFiles.map { ("bundle/\($0.0)", $0.1) }
        return outputs
    }

    struct Leak: CustomStringConvertible {
        var caseNumber: Int
        var what: String
        var encoding: String
        var output: String
        var description: String { "case \(caseNumber): \(what) leaked \(encoding) in \(output)" }
    }

    static func leaks(in outputs: [(String, Data)], for testCase: Case) -> [Leak] {
        var found: [Leak] = []
        for (what, secret) in testCase.secrets {
            for encoding in SecretShapes.encodings(of: secret) {
                let needle = Data(encoding.text.utf8)
                for (name, data) in outputs where data.range(of: needle) != nil {
                    found.append(Leak(caseNumber: testCase.number, what: "\(what) (\(testCase.shapes[what] ?? "plain"))", encoding: encoding.name, output: name))
                }
            }
        }
        return found
    }

    @Test func noSecretLeaksInAnyOutput() async throws {
        var allLeaks: [Leak] = []
        var checked = 0
        let batch = 8
        for start in stride(from: 0, to: Self.caseCount, by: batch) {
            try await withThrowingTaskGroup(of: [Leak].self) { group in
                for number in start..<min(start + batch, Self.caseCount) {
                    group.addTask {
                        let testCase = Self.makeCase(number)
                        return Self.leaks(in: try await Self.outputs(for: testCase), for: testCase)
                    }
                }
                for try await leaks in group {
                    allLeaks += leaks
                    checked += 1
                }
            }
        }
        #expect(checked == Self.caseCount)
        #expect(allLeaks.count == 0, "\(allLeaks.count) leaks, e.g.:\n\(allLeaks.prefix(20).map(\.description).joined(separator: "\n"))")
    }

    @Test func theEchoReallyEchoes() async throws {
        // The property above means something only if the secrets do come back from the simulator.
        let testCase = Self.makeCase(0)
        let simulator = ProviderSimulator(scenario: Scenario(name: "echo", summary: "echo"), credentials: testCase.credentials)
        simulator.echoSecrets = true
        try simulator.start()
        defer { simulator.stop() }
        let raw = CurlTransport.performBlocking(
            HTTPRequest(method: "GET", url: simulator.baseURL + ProviderSimulator.apiPath, headers: [HTTPHeader("Authorization", "Bearer \(testCase.credentials.apiKey)")]),
            options: TransportOptions(timeout: 10))
        #expect(raw.status == 401)
        #expect(raw.redirects.count == 1)
        let everything = raw.bodyText + raw.headers.map(\.value).joined() + raw.redirects.map(\.to).joined()
        #expect(everything.contains(testCase.credentials.apiKey))
        #expect(everything.contains(Data(testCase.credentials.apiKey.utf8).base64EncodedString()))
    }
}

extension RedactionPropertyTests {
    @Test func theSearchFindsEveryEncoding() throws {
        // The leak search itself must see a secret however it is written.
        let testCase = Self.makeCase(3)
        for (what, secret) in testCase.secrets {
            for encoding in SecretShapes.encodings(of: secret) {
                let output = [("sample", Data("prefix \(encoding.text) suffix".utf8))]
                #expect(!Self.leaks(in: output, for: testCase).isEmpty, "\(what) as \(encoding.name) went unnoticed")
            }
        }
        #expect(Self.leaks(in: [("clean", Data("nothing to see [redacted:api_key:abc123]".utf8))], for: testCase).isEmpty)
    }
}
