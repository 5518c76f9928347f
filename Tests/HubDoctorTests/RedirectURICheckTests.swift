import Foundation
import HubDoctorCore
import Testing

/// How a sent redirect URI differs from the registered one (RFC 8252 loopback rules and the exact
/// string comparison providers apply), and when an answer says the redirect URI is wrong.
@Suite struct RedirectURICheckTests {
    struct Difference: CustomTestStringConvertible, Sendable {
        let sent: String
        let expected: String
        /// Each inner list: fragments one note must contain. One inner list per expected note, in order.
        let notes: [[String]]
        var testDescription: String { "\(sent) vs \(expected)" }
    }

    @Test(arguments: [
        // RFC 8252 §8.3: same machine, different strings.
        Difference(sent: "http://localhost:8765/callback", expected: "http://127.0.0.1:8765/callback", notes: [
            ["localhost and 127.0.0.1 are the same machine", "RFC 8252 §8.3"],
        ]),
        Difference(sent: "http://127.0.0.1:8765/callback", expected: "http://[::1]:8765/callback", notes: [["same machine"]]),
        // RFC 8252 §7.3: any port on a loopback IP literal.
        Difference(sent: "http://127.0.0.1:8765/callback", expected: "http://127.0.0.1:53682/callback", notes: [
            ["only the port differs (8765 vs 53682)", "RFC 8252 §7.3"],
        ]),
        Difference(sent: "http://127.0.0.1:8765/callback", expected: "http://127.0.0.1/callback", notes: [
            ["only the port differs (8765 vs default)", "RFC 8252 §7.3"],
        ]),
        Difference(sent: "http://[::1]:8765/callback", expected: "http://[::1]:9000/callback", notes: [["only the port differs (8765 vs 9000)"]]),
        // localhost is not an IP literal: §7.3 does not apply, so no RFC hint.
        Difference(sent: "http://localhost:8765/callback", expected: "http://localhost:9000/callback", notes: [["the port differs (8765 vs 9000)"]]),
        Difference(sent: "https://app.example.com:8443/oauth/callback", expected: "https://app.example.com/oauth/callback", notes: [
            ["the port differs (8443 vs default)"],
        ]),
        Difference(sent: "https://app.example.com/oauth/callback/", expected: "https://app.example.com/oauth/callback", notes: [
            ["only a trailing slash differs", "/oauth/callback/", "must match exactly"],
        ]),
        Difference(sent: "https://app.example.com/oauth/callback", expected: "https://app.example.com/oauth/callback/", notes: [
            ["only a trailing slash differs"],
        ]),
        Difference(sent: "https://app.example.com/callback", expected: "https://app.example.com/oauth/callback", notes: [
            ["the path differs (/callback vs /oauth/callback)"],
        ]),
        Difference(sent: "http://app.example.com/oauth/callback", expected: "https://app.example.com/oauth/callback", notes: [
            ["the scheme differs (http vs https)"],
        ]),
        Difference(sent: "https://app.example.com/cb", expected: "https://app.example.org/cb", notes: [["the host differs (app.example.com vs app.example.org)"]]),
        Difference(sent: "https://app.example.com/cb?tenant=a", expected: "https://app.example.com/cb", notes: [["the query differs"]]),
        // Two differences at once are both reported, in a stable order.
        Difference(sent: "http://localhost:8765/callback/", expected: "https://app.example.com/callback", notes: [
            ["the scheme differs"], ["the host differs (localhost vs app.example.com)"], ["the port differs (8765 vs default)"], ["trailing slash"],
        ]),
    ])
    func differencesAreNamed(_ testCase: Difference) {
        let notes = RedirectURICheck.differences(sent: testCase.sent, expected: testCase.expected)
        #expect(notes.count == testCase.notes.count, "\(notes)")
        for (note, fragments) in zip(notes, testCase.notes) {
            for fragment in fragments { #expect(note.contains(fragment), "\"\(note)\" does not say \"\(fragment)\"") }
        }
    }

    @Test(arguments: [
        ("http://127.0.0.1:8765/callback", "http://127.0.0.1:8765/callback"),
        // Scheme and host compare without case (RFC 3986 §6.2.2.1).
        ("HTTPS://App.Example.com/oauth/callback", "https://app.example.com/oauth/callback"),
    ])
    func identicalURIsHaveNoDifference(_ sent: String, _ expected: String) {
        #expect(RedirectURICheck.differences(sent: sent, expected: expected) == [])
    }

    @Test func pathCaseIsADifference() {
        // Paths are case-sensitive; providers compare them exactly.
        let notes = RedirectURICheck.differences(sent: "https://app.example.com/Callback", expected: "https://app.example.com/callback")
        #expect(notes.count == 1)
        #expect(notes.first?.contains("the path differs") == true)
    }

    @Test func trailingSlashOnAnEmptyPathShowsTwoDifferentThings() throws {
        let notes = RedirectURICheck.differences(sent: "https://app.example.com", expected: "https://app.example.com/")
        let note = try #require(notes.first)
        #expect(notes.count == 1)
        #expect(note.contains("only a trailing slash differs"))
        // The note shows each side; a reader must be able to tell them apart.
        let shown = try #require(note.firstRange(of: "(").flatMap { open in note[open.upperBound...].firstRange(of: ")").map { note[open.upperBound..<$0.lowerBound] } })
        let sides = shown.components(separatedBy: " vs ")
        #expect(sides.count == 2)
        #expect(sides.first != sides.last, "\"\(note)\" shows the same text for both URIs")
    }

    @Test func invalidURIIsSaidSo() {
        #expect(RedirectURICheck.differences(sent: "http://exa mple.com/cb", expected: "http://example.com/cb") == ["they are not both valid URLs"])
    }

    // MARK: - reportsMismatch

    static func evidence(error: String? = nil, messages: [String] = [], transport: String? = nil) -> Evidence {
        var evidence = Evidence()
        evidence.oauthError = error
        evidence.messages = messages
        evidence.transport = transport.map { TransportFailure(code: "BROWSER", message: $0) }
        return evidence
    }

    struct Mismatch: CustomTestStringConvertible, Sendable {
        let name: String
        let error: String?
        let messages: [String]
        let reports: Bool
        var testDescription: String { name }
    }

    @Test(arguments: [
        Mismatch(name: "oauth error redirect_uri_mismatch", error: "redirect_uri_mismatch", messages: [], reports: true),
        Mismatch(name: "oauth error invalid_redirect_uri", error: "invalid_redirect_uri", messages: [], reports: true),
        Mismatch(name: "oauth error bad_redirect_uri", error: "bad_redirect_uri", messages: [], reports: true),
        Mismatch(
            name: "Entra AADSTS50011 wording", error: "invalid_request",
            messages: ["AADSTS50011: The redirect URI 'http://localhost:8765/callback' specified in the request does not match the redirect URIs configured for the application."],
            reports: true),
        Mismatch(name: "invalid parameter wording", error: nil, messages: ["Invalid parameter: redirect_uri"], reports: true),
        Mismatch(name: "reply URL wording", error: nil, messages: ["The reply URL specified in the request does not match the reply URLs configured"], reports: true),
        Mismatch(name: "callback URL not registered", error: nil, messages: ["Callback URL not registered for this client"], reports: true),
        Mismatch(name: "upper case words", error: nil, messages: ["REDIRECT_URI MISMATCH"], reports: true),
        // Negative cases: a redirect URI is named but nothing is wrong with it, or something else mismatches.
        Mismatch(name: "redirect_uri merely mentioned", error: nil, messages: ["Using redirect_uri http://127.0.0.1:8765/callback"], reports: false),
        Mismatch(name: "another mismatch", error: "invalid_grant", messages: ["audience mismatch"], reports: false),
        Mismatch(name: "expired refresh token", error: "invalid_grant", messages: ["AADSTS700082: The refresh token has expired due to inactivity."], reports: false),
        Mismatch(name: "nothing at all", error: nil, messages: [], reports: false),
    ])
    func reportsMismatch(_ testCase: Mismatch) {
        #expect(RedirectURICheck.reportsMismatch(Self.evidence(error: testCase.error, messages: testCase.messages)) == testCase.reports)
    }

    @Test func transportMessageCountsAsText() {
        #expect(RedirectURICheck.reportsMismatch(Self.evidence(transport: "redirect_uri does not match")))
        #expect(!RedirectURICheck.reportsMismatch(Self.evidence(transport: "connection refused")))
    }

    @Test func urisMentionedLeaveOutTheOneSent() {
        let sent = "http://127.0.0.1:8765/callback"
        let text = "The redirect_uri \(sent) does not match: registered are https://app.example.com/oauth/callback, http://localhost:3000/cb."
        #expect(RedirectURICheck.urisMentioned(in: text, excluding: sent) == ["https://app.example.com/oauth/callback", "http://localhost:3000/cb"])
        #expect(RedirectURICheck.urisMentioned(in: "no address here", excluding: sent) == [])
    }
}
