import Foundation
import HubDoctorCore
import HubDoctorTestSupport
import Testing
import Yams

/// `WWWAuthenticate.parse` against the decision table in Tests/Fixtures/www-authenticate/cases.yaml,
/// and against malformed input that must never crash or hang.
@Suite struct WWWAuthenticateTests {
    struct Expected: Decodable, Sendable {
        let scheme: String
        let params: [String: String]?
        let token68: String?

        var challenge: Challenge { Challenge(scheme: scheme, parameters: params ?? [:], token68: token68) }
    }

    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let source: String?
        let header: String
        let expect: [Expected]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        struct File: Decodable { let cases: [Case] }
        return (try? YAMLDecoder().decode(File.self, from: (try? Fixtures.text("www-authenticate/cases.yaml")) ?? "").cases) ?? []
    }()

    @Test func tableLoadsAndCitesItsRFCExamples() {
        #expect(Self.cases.count >= 30, "the table did not load: \(Self.cases.count) cases")
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count, "case names must be unique")
        let cited = Self.cases.compactMap(\.source)
        for section in ["RFC 6750 §3", "RFC 6750 §3.1", "RFC 9110 §11.6.1"] {
            #expect(cited.contains { $0.hasPrefix(section) }, "no case cites \(section)")
        }
        for testCase in Self.cases where testCase.name.hasPrefix("rfc") {
            #expect(testCase.source?.hasPrefix("RFC ") == true, "\(testCase.name) is an RFC example without its section")
        }
    }

    @Test(arguments: cases)
    func headerParsesIntoTheExpectedChallenges(_ testCase: Case) {
        let parsed = WWWAuthenticate.parse(testCase.header)
        #expect(parsed == testCase.expect.map(\.challenge), "header: \(testCase.header)")
    }

    @Test func subscriptIgnoresTheCaseOfTheName() throws {
        let challenge = try #require(WWWAuthenticate.parse(#"Bearer Error="invalid_token", ERROR_DESCRIPTION="Expired""#).first)
        #expect(challenge["error"] == "invalid_token")
        #expect(challenge["ERROR"] == "invalid_token")
        #expect(challenge["Error_Description"] == "Expired")
        #expect(challenge["realm"] == nil)
    }

    /// Malformed values from broken servers: the parse must end, and keep what it could read.
    @Test(arguments: [
        #"Bearer error="invalid_token, Basic realm="x""#,
        #"Bearer error="invalid_token", error_description="unterminated"#,
        #"Bearer ="value""#,
        #"Bearer realm=="#,
        #"="#,
        #"""""#,
        #"\"#,
        #"Bearer error=, realm="x""#,
        "Bearer \u{0}realm=\"x\"",
        "Bearer realm=\"caf\u{E9} \u{1F510}\"",
        String(repeating: "Bearer realm=\"x\", ", count: 2_000),
        String(repeating: "\"", count: 10_001),
        String(repeating: "\\", count: 10_001),
        "Bearer realm=\"" + String(repeating: "\\\"", count: 5_000),
    ])
    func malformedHeaderDoesNotCrash(_ header: String) {
        let challenges = WWWAuthenticate.parse(header)
        if header.hasPrefix("Bearer error=\"invalid_token") {
            #expect(challenges.first?.scheme == "Bearer")
            #expect(challenges.first?["error"]?.hasPrefix("invalid_token") == true)
        }
        if header.hasPrefix("Bearer realm=\"caf") {
            #expect(challenges == [Challenge(scheme: "Bearer", parameters: ["realm": "caf\u{E9} \u{1F510}"])])
        }
        if header.hasPrefix("Bearer realm=\"x\", Bearer") {
            #expect(challenges.count == 2_000)
        }
        // Every challenge has a scheme made of token characters.
        for challenge in challenges {
            #expect(!challenge.scheme.isEmpty)
            #expect(!challenge.scheme.contains(" ") && !challenge.scheme.contains("\"") && !challenge.scheme.contains(","))
        }
    }

    /// Random strings over the characters that matter to the grammar, from a fixed seed.
    @Test func randomInputTerminates() {
        var generator = SeededGenerator(seed: 0x5EED_0F_C0FFEE)
        let alphabet = Array("Bearer Basic realm error = , \" \\ \t abc== / + ~ ( ) ; : @")
        let started = Date()
        var total = 0
        for _ in 0..<3_000 {
            let length = Int(generator.next() % 80)
            let header = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            let challenges = WWWAuthenticate.parse(header)
            total += challenges.count
            // Never more challenges than there are characters.
            #expect(challenges.count <= header.count)
        }
        #expect(total > 0, "the generator produced no parsable header at all")
        #expect(Date().timeIntervalSince(started) < 30)
    }

    /// The header as the evidence extractor reads it from a response: several headers, one list.
    @Test func everyWWWAuthenticateHeaderOfAResponseIsRead() {
        let extractor = EvidenceExtractor(markup: nil)
        let raw = RawExchange(
            request: HTTPRequest(method: "GET", url: "https://api.example.com/v1/me", headers: [], body: nil), finalURL: "https://api.example.com/v1/me",
            status: 401, httpVersion: "HTTP/1.1",
            headers: [HTTPHeader("WWW-Authenticate", #"Negotiate, Basic realm="corp""#), HTTPHeader("www-authenticate", #"Bearer error="invalid_token", error_description="The access token expired""#)],
            body: Data(), bodySize: 0, failure: nil)
        let exchange = ExchangeRecorder(redactor: Redactor()).record(raw, stage: .resource)
        let evidence = extractor.evidence(for: exchange)
        #expect(evidence.challenges.map(\.scheme) == ["Negotiate", "Basic", "Bearer"])
        #expect(evidence.placeholder("challenge_error") == "invalid_token")
        #expect(evidence.messages.contains("The access token expired"))
    }
}
