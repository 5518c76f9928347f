import Foundation

/// Compares the redirect URI hubdoctor sent with the one a provider expects, by the rules of
/// RFC 8252 (loopback redirects: any port on an IP literal, `localhost` discouraged) and of
/// exact string matching that providers apply (path, trailing slash, scheme, query).
public enum RedirectURICheck {
    /// True when the answer says the redirect URI is wrong.
    public static func reportsMismatch(_ evidence: Evidence) -> Bool {
        if let error = evidence.oauthError, ["redirect_uri_mismatch", "invalid_redirect_uri", "bad_redirect_uri"].contains(error) { return true }
        let text = evidence.messageText.lowercased()
        return (text.contains("redirect_uri") || text.contains("redirect uri") || text.contains("reply url") || text.contains("callback url"))
            && (text.contains("mismatch") || text.contains("does not match") || text.contains("doesn't match") || text.contains("not registered")
                || text.contains("not match") || text.contains("invalid") || text.contains("not allowed"))
    }

    /// The redirect URIs a message names, other than the one sent (the registered ones, when a provider shows them).
    public static func urisMentioned(in text: String, excluding sent: String) -> [String] {
        Pattern(literal: #"https?://[^\s"'<>,)]+"#).allMatches(in: text).map { $0[0].trimmingCharacters(in: CharacterSet(charactersIn: ".;")) }
            .filter { $0 != sent }
    }

    /// How two redirect URIs differ, in words; empty when they are the same.
    public static func differences(sent: String, expected: String) -> [String] {
        guard let a = URLComponents(string: sent), let b = URLComponents(string: expected) else { return ["they are not both valid URLs"] }
        var notes: [String] = []
        if a.scheme?.lowercased() != b.scheme?.lowercased() { notes.append("the scheme differs (\(a.scheme ?? "") vs \(b.scheme ?? ""))") }
        let hostA = a.host?.lowercased() ?? ""
        let hostB = b.host?.lowercased() ?? ""
        let loopback: Set<String> = ["localhost", "127.0.0.1", "::1", "[::1]"]
        if hostA != hostB {
            if loopback.contains(hostA), loopback.contains(hostB) {
                notes.append("\(hostA) and \(hostB) are the same machine but different strings: providers compare the text, so register the exact one sent (RFC 8252 §8.3 recommends 127.0.0.1 over localhost)")
            } else {
                notes.append("the host differs (\(hostA) vs \(hostB))")
            }
        }
        if a.port != b.port {
            if ["127.0.0.1", "::1", "[::1]"].contains(hostA) && hostA == hostB {
                notes.append("only the port differs (\(a.port.map(String.init) ?? "default") vs \(b.port.map(String.init) ?? "default")); RFC 8252 §7.3 says a provider must accept any port on a loopback IP redirect, but this one compares it: register the port hubdoctor uses or set redirect_uri to the registered one")
            } else {
                notes.append("the port differs (\(a.port.map(String.init) ?? "default") vs \(b.port.map(String.init) ?? "default"))")
            }
        }
        if a.path != b.path {
            if a.path.trimmingCharacters(in: CharacterSet(charactersIn: "/")) == b.path.trimmingCharacters(in: CharacterSet(charactersIn: "/")) {
                // An empty path is shown as such: printing it as "/" would make both sides read the same.
                notes.append("only a trailing slash differs (\(a.path.isEmpty ? "no path" : a.path) vs \(b.path.isEmpty ? "no path" : b.path)): redirect URIs must match exactly")
            } else {
                notes.append("the path differs (\(a.path) vs \(b.path))")
            }
        }
        if (a.query ?? "") != (b.query ?? "") { notes.append("the query differs") }
        return notes
    }
}
