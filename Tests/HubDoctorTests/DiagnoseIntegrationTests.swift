import Foundation
import HubDoctorCore
import HubDoctorSimulator
import HubDoctorTestSupport
import Testing
import Yams

/// `hubdoctor diagnose` (the built binary) against the provider simulator over loopback:
/// one test per scenario and auth method.
@Suite struct DiagnoseIntegrationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let scenario: String
        let method: AuthType
        let expected: FailureClass
        var testDescription: String { "\(scenario) / \(method.rawValue) → \(expected.rawValue)" }
    }

    static let cases: [Case] = {
        struct File: Decodable { let scenarios: [String: [String: String]] }
        guard let text = try? Fixtures.text("scenarios/expected.yaml"), let file = try? YAMLDecoder().decode(File.self, from: text) else { return [] }
        return file.scenarios.keys.sorted().flatMap { scenario in
            AuthType.allCases.map { method in
                let table = file.scenarios[scenario]!
                let expected = table[method.rawValue] ?? table["all"] ?? "ok"
                return Case(scenario: scenario, method: method, expected: FailureClass(rawValue: expected)!)
            }
        }
    }()

    @Test func everyScenarioIsCovered() {
        let covered = Set(Self.cases.map(\.scenario))
        for scenario in Scenario.all { #expect(covered.contains(scenario.name), "\(scenario.name) has no expectation") }
    }

    @Test(arguments: cases)
    func scenarioAndMethod(_ testCase: Case) throws {
        let harness = try SimulatorHarness(testCase.scenario)
        let bundleDirectory = harness.home.appendingPathComponent("bundles")
        let result = try harness.diagnose(["--only", testCase.method.rawValue, "--format", "json", "--timeout", "1", "--bundle", bundleDirectory.path])
        let json = try result.jsonObject()
        #expect(json["schema"] as? String == "hubdoctor.diagnosis/v1")
        let methods = try #require(json["methods"] as? [[String: Any]])
        #expect(methods.count == 1)
        let method = try #require(methods.first)
        #expect(method["class"] as? String == testCase.expected.rawValue, "summary: \(method["summary"] ?? "")")
        // The exit status follows the contract's table.
        #expect(result.status == ExitStatus.forClasses([testCase.expected]))
        // Remediation names the FAQ entry that answers it.
        let faq = (method["faq"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(faq.contains(testCase.expected.rawValue), "faq: \(faq)")
        if testCase.expected != .ok {
            #expect(!(method["remediation"] as? [String] ?? []).isEmpty)
            #expect(!(method["evidence"] as? [String] ?? []).isEmpty)
        }
        // Exchanges were recorded with their timings.
        let exchanges = try #require(method["exchanges"] as? [[String: Any]])
        #expect(!exchanges.isEmpty)
        for exchange in exchanges {
            let timings = try #require(exchange["timings_ms"] as? [String: Any])
            #expect((timings["total"] as? Double ?? 0) > 0)
            #expect(exchange["stage"] is String)
        }
        // The bundle's HAR holds the same exchanges, with statuses, headers and (for HTTPS) certificate facts.
        let bundle = try #require(json["bundle"] as? String)
        let har = try Self.har(in: URL(fileURLWithPath: bundle))
        let entries = try #require((har["log"] as? [String: Any])?["entries"] as? [[String: Any]])
        #expect(entries.count == exchanges.count)
        for entry in entries {
            let response = try #require(entry["response"] as? [String: Any])
            let hubdoctor = try #require(entry["_hubdoctor"] as? [String: Any])
            if let status = response["status"] as? Int, status > 0 {
                #expect(!(response["headers"] as? [[String: Any]] ?? []).isEmpty, "an answer without headers")
            } else {
                #expect(entry["_error"] is String, "a failed request without _error")
            }
            if testCase.scenario == "tls" {
                let tls = try #require(hubdoctor["tls"] as? [String: Any])
                #expect(tls["verified"] as? Bool == true)
                #expect((tls["subject"] as? String)?.contains("localhost") == true)
                #expect((tls["issuer"] as? String)?.contains("hubdoctor simulator test CA") == true)
                #expect(tls["expiry"] is String)
            }
        }
    }

    static func har(in bundle: URL) throws -> [String: Any] {
        try Fixtures.jsonObject(try #require(try Fixtures.zipEntries(bundle)["exchanges.har"]))
    }

    @Test func methodsRunConcurrently() throws {
        // Five methods against a provider that takes 200 ms per answer: their requests must be
        // in flight at the same time (counted by the simulator, not timed here: timing is for benchmarks).
        let harness = try SimulatorHarness("healthy")
        harness.simulator.answerDelay = 0.2
        let result = try harness.diagnose(["--no-bundle", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(harness.simulator.maxConcurrentRequests >= 4, "at most \(harness.simulator.maxConcurrentRequests) requests at once")
    }
}
