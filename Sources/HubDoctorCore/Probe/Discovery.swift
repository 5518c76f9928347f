import Foundation

/// RFC 8414 / OpenID Connect discovery: when the token URL's issuer publishes metadata, check the
/// connection against it. When it publishes none, carry on.
struct Discovery {
    let prober: MethodProber

    /// Candidate metadata URLs for the issuer behind a token URL: the host root, and the path
    /// above the token endpoint (Okta and Auth0 style issuers such as /oauth2/default).
    static func candidates(tokenURL: String) -> [String] {
        guard let components = URLComponents(string: tokenURL), let scheme = components.scheme, let host = components.host else { return [] }
        let origin = "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")"
        var urls = ["\(origin)/.well-known/oauth-authorization-server", "\(origin)/.well-known/openid-configuration"]
        var path = components.path.split(separator: "/").dropLast()
        if path.last == "v1" || path.last == "oauth2" && path.count > 1 { path = path.dropLast() }
        if !path.isEmpty, !(path.count == 1 && (path.first == "oauth" || path.first == "oauth2")) {
            let issuerPath = "/" + path.joined(separator: "/")
            urls.append("\(origin)/.well-known/oauth-authorization-server\(issuerPath)")
            urls.append("\(origin)\(issuerPath)/.well-known/openid-configuration")
        }
        return urls
    }

    /// The metadata lookup that answered and what it says, or nothing: many SaaS providers publish
    /// no metadata, and that is not a finding.
    func check(client: AuthMethod.OAuthClient, grant: String, authorizeURL: String?) async -> ([Exchange], [String]) {
        for candidate in Self.candidates(tokenURL: client.tokenURL) {
            let exchange = await prober.send(
                HTTPRequest(method: "GET", url: candidate, headers: [HTTPHeader("Accept", "application/json")], followRedirects: false),
                stage: .discovery)
            // Every candidate is on the same host: when it cannot be reached, the others cannot
            // either, and waiting for each to time out would only slow the diagnosis (the token
            // request reports the failure).
            if exchange.failure != nil { break }
            guard exchange.succeeded, let body = exchange.response?.body, case .object(let metadata) = JSONValue.parse(Data(body.utf8)) ?? .null,
                metadata["token_endpoint"] != nil
            else { continue }
            return ([exchange], Self.compare(metadata, client: client, grant: grant, authorizeURL: authorizeURL, source: candidate))
        }
        return ([], [])
    }

    static func compare(_ metadata: [String: JSONValue], client: AuthMethod.OAuthClient, grant: String, authorizeURL: String?, source: String) -> [String] {
        var notes: [String] = []
        func list(_ key: String) -> [String]? {
            if case .array(let values) = metadata[key] ?? .null { return values.compactMap(\.stringValue) }
            return nil
        }
        if let endpoint = metadata["token_endpoint"]?.stringValue, !sameEndpoint(endpoint, client.tokenURL) {
            notes.append("discovery (\(source)) names the token endpoint \(endpoint), but token_url is \(client.tokenURL)")
        }
        if let authorizeURL, let endpoint = metadata["authorization_endpoint"]?.stringValue, !sameEndpoint(endpoint, authorizeURL) {
            notes.append("discovery names the authorization endpoint \(endpoint), but authorize_url is \(authorizeURL)")
        }
        if let grants = list("grant_types_supported"), !grants.contains(grant) {
            notes.append("discovery lists grant_types_supported \(grants.joined(separator: ", ")): \(grant) is not among them")
        }
        if grant == "authorization_code", let grants = list("grant_types_supported"), !grants.contains("refresh_token") {
            notes.append("discovery does not list the refresh_token grant: refreshing may not be allowed")
        }
        if let methods = list("token_endpoint_auth_methods_supported"), !methods.contains(client.clientAuth.metadataName) {
            let other = AuthMethod.ClientAuth.allCases.first { methods.contains($0.metadataName) }
            let hint = other.map { "; set client_auth: \($0.rawValue)" } ?? ""
            notes.append("discovery lists token_endpoint_auth_methods_supported \(methods.joined(separator: ", ")): \(client.clientAuth.metadataName) is not among them\(hint)")
        }
        if let scopes = list("scopes_supported") {
            let unknown = client.scopes.filter { !scopes.contains($0) }
            if !unknown.isEmpty { notes.append("discovery's scopes_supported does not list \(unknown.joined(separator: ", "))") }
        }
        return notes
    }

    static func sameEndpoint(_ a: String, _ b: String) -> Bool {
        func normal(_ url: String) -> String {
            var text = url.lowercased()
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }
        return normal(a) == normal(b)
    }
}
