import Foundation
import HubDoctorCore
import HubDoctorMarkup
import HubDoctorSimulator
import HubDoctorTestSupport
import Testing
import Yams

/// Reasoning across a diagnosis: precedence, confidence, credential history, scheme trials,
/// differentials and discovery.
@Suite struct ReasoningTests {
    struct PrecedenceCase: Decodable, CustomTestStringConvertible, Sendable {
        struct Failure: Decodable, Sendable { var code: String; var message: String }
        var name: String
        var why: String
        var expect: String
        var stage: String
        var grant_type: String?
        var status: Int?
        var url: String?
        var headers: [String: String]?
        var body: String?
        var transport: Failure?
        var testDescription: String { name }
    }

    static let precedence: [PrecedenceCase] = {
        struct File: Decodable { var cases: [PrecedenceCase] }
        return (try? YAMLDecoder().decode(File.self, from: (try? Fixtures.text("precedence/cases.yaml")) ?? "").cases) ?? []
    }()

    static let knowledge = TestKnowledge.base
    static let classifier = TestKnowledge.classifier
    static let extractor = TestKnowledge.extractor

    static func exchange(_ testCase: PrecedenceCase) -> Exchange {
        let headers = (testCase.headers ?? [:]).map { HTTPHeader($0.key, $0.value) } + (testCase.body.map { _ in [HTTPHeader("Content-Type", "application/json")] } ?? [])
        let response = testCase.status.map { RecordedResponse(status: $0, httpVersion: "HTTP/1.1", headers: headers, body: testCase.body, bodySize: testCase.body?.utf8.count ?? 0) }
        return Exchange(
            stage: Stage(rawValue: testCase.stage)!, grantType: testCase.grant_type,
            request: RecordedRequest(method: testCase.stage == "token" ? "POST" : "GET", url: testCase.url ?? "https://api.example.com/v1/x", headers: [], body: nil),
            response: response, failure: testCase.transport.map { TransportFailure(code: $0.code, message: $0.message) })
    }

    @Test(arguments: precedence)
    func precedenceIsAsDocumented(_ testCase: PrecedenceCase) {
        let finding = Self.classifier.classify(Self.extractor.evidence(for: Self.exchange(testCase)))
        #expect(finding.failureClass.rawValue == testCase.expect, "\(testCase.why); got \(finding.failureClass.rawValue) via \(finding.rule ?? "no rule")")
    }

    @Test func thereArePrecedenceCases() { #expect(Self.precedence.count >= 8) }

    @Test func disagreeingRulesLowerConfidenceAndNoRuleIsUnknown() throws {
        let folder = try Fixtures.copyOfShippedBase()
        // Two equally specific rules that name different classes for the same evidence.
        let rules = """
            provider: hibob
            sources: [https://apidocs.hibob.com/docs/api-service-users]
            rules:
              - id: hibob.test-a
                class: credentials_rejected
                confidence: 0.9
                when: {status: 418, message: 'teapot'}
                explain: A.
                source: https://apidocs.hibob.com/docs/api-service-users
              - id: hibob.test-b
                class: insufficient_permissions
                confidence: 0.8
                when: {status: 418, body: 'teapot'}
                explain: B.
                source: https://apidocs.hibob.com/docs/api-service-users
            """
        try Data(rules.utf8).write(to: folder.appendingPathComponent("rules/hibob.yaml"))
        let base = KnowledgeBase.load(try KnowledgeFiles.read(directory: folder))
        #expect(base.problems.isEmpty, "\(base.problems)")
        let classifier = Classifier(knowledge: base, markup: nil)
        var evidence = Evidence()
        evidence.status = 418
        evidence.provider = "hibob"
        evidence.messages = ["I am a teapot"]
        evidence.body = "I am a teapot"
        let finding = classifier.classify(evidence)
        #expect(finding.failureClass == .credentialsRejected)
        #expect(finding.confidence < 0.9, "confidence \(finding.confidence) was not lowered")
        #expect(finding.alternatives == [.insufficientPermissions])

        var nothing = Evidence()
        nothing.status = 299
        nothing.host = "api.example.com"
        nothing.messages = ["something odd"]
        let unknown = classifier.classify(nothing)
        #expect(unknown.failureClass == .unknown)
        #expect(unknown.confidence == 0)
        #expect(unknown.evidence.contains { $0.contains("299") } && unknown.evidence.contains { $0.contains("something odd") })
    }

    // MARK: - Across runs and methods

    @Test func aKeyThatWorkedBeforeIsReportedAsRotatedOrRevoked() throws {
        let healthy = try SimulatorHarness(scenario: Scenario.named("healthy")!, methods: [.apiKey])
        let first = try healthy.diagnose(["--no-bundle", "--format", "json"])
        #expect(first.status == 0)
        // The same connection, key and method now meet a provider that rotated the key.
        let rotated = try SimulatorHarness(scenario: Scenario.named("rotated-key")!, methods: [.apiKey])
        let yaml = try String(contentsOf: rotated.files.connection, encoding: .utf8).replacingOccurrences(of: "name: demo-rotated-key", with: "name: demo-healthy")
        try Data(yaml.utf8).write(to: rotated.files.connection)
        let second = try CommandRunner.run(["diagnose", rotated.files.connection.path, "--no-bundle", "--format", "json"], environment: healthy.environment)
        let method = try Self.firstMethod(second.stdout)
        #expect(method["class"] as? String == "credentials_rejected")
        let summary = (method["summary"] as? String ?? "") + (method["evidence"] as? [String] ?? []).joined()
        #expect(summary.contains("worked here on"), "\(summary)")
        #expect(summary.contains("rotated or revoked"))
        let faq = (method["faq"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(faq.first == "reconnect-after-credential-change", "\(faq)")

        // A key never seen working here is a wrong key, not a rotation.
        let fresh = try SimulatorHarness(scenario: Scenario.named("rotated-key")!, methods: [.apiKey])
        let never = try Self.firstMethod(try fresh.diagnose(["--no-bundle", "--format", "json"]).stdout)
        #expect(never["class"] as? String == "credentials_rejected")
        #expect((never["summary"] as? String ?? "").contains("never worked here"), "worked-before and never-worked must be told apart")
        // No secret went into the state folder: only salted fingerprints.
        let history = try String(contentsOf: healthy.home.appendingPathComponent("state/hubdoctor/credentials.json"), encoding: .utf8)
        #expect(!history.contains(healthy.simulator.credentials.apiKey))
    }

    static func firstMethod(_ json: String) throws -> [String: Any] {
        let object = try Fixtures.jsonObject(Data(json.utf8))
        return try #require((object["methods"] as? [[String: Any]])?.first)
    }

    @Test func tryingSchemesFindsTheOneThatWorks() throws {
        let harness = try SimulatorHarness(scenario: Scenario.named("wrong-scheme")!, methods: [.apiKey])
        let result = try harness.diagnose(["--no-bundle", "--format", "json", "--try-schemes"])
        let method = try Self.firstMethod(result.stdout)
        #expect(method["class"] as? String == "wrong_auth_scheme")
        #expect(method["rule"] as? String == "hubdoctor.scheme-trial")
        let remediation = (method["remediation"] as? [String] ?? []).joined(separator: " ")
        #expect(remediation.contains("X-API-Key"), "\(remediation)")
        // Within the budget: a handful of extra requests, not a scan.
        #expect(harness.simulator.requests <= 6, "\(harness.simulator.requests) requests")
        let without = try Self.firstMethod(try harness.diagnose(["--no-bundle", "--format", "json"]).stdout)
        #expect(without["class"] as? String == "wrong_auth_scheme")
        #expect(without["rule"] as? String != "hubdoctor.scheme-trial")
    }

    @Test func comparingMethodsNarrowsTheCause() throws {
        let mixed = try SimulatorHarness("mixed")
        let object = try mixed.diagnose(["--no-bundle", "--format", "json"]).jsonObject()
        let differentials = try #require(object["differentials"] as? [String])
        #expect(differentials.contains { $0.contains("api_key, service_user work") })
        #expect(differentials.contains { $0.contains("lacks a scope") })
        let admin = try SimulatorHarness("missing-admin")
        let adminJSON = try admin.diagnose(["--no-bundle", "--format", "json"]).jsonObject()
        #expect((adminJSON["differentials"] as? [String] ?? []).contains { $0.contains("admin_path is refused") })
    }

    @Test func discoveryMetadataIsCheckedAgainstTheConnection() throws {
        let harness = try SimulatorHarness(scenario: Scenario.named("healthy")!, methods: [.oauth2ClientCredentials])
        let yaml = try String(contentsOf: harness.files.connection, encoding: .utf8).replacingOccurrences(of: "scopes: [read:employees]\n    client_auth", with: "scopes: [read:employees, read:payroll]\n    client_auth")
        try Data(yaml.utf8).write(to: harness.files.connection)
        let method = try Self.firstMethod(try harness.diagnose(["--no-bundle", "--format", "json"]).stdout)
        #expect(method["class"] as? String == "insufficient_scope")
        let notes = (method["notes"] as? [String] ?? []).joined(separator: " ")
        #expect(notes.contains("scopes_supported does not list read:payroll"), "\(notes)")
    }
}
