import Foundation

/// The two requests of an OAuth 2.0 client, shared by the probes and `hubdoctor login`.
extension AuthMethod.OAuthClient {
    /// A token request with `fields`, the client authenticated as `client_auth` says: Basic with the
    /// id and secret form-encoded first (RFC 6749 §2.3.1), or both in the form body.
    public func tokenRequest(_ fields: [(String, String)]) -> HTTPRequest {
        var form = fields
        var headers = [HTTPHeader("Content-Type", "application/x-www-form-urlencoded"), HTTPHeader("Accept", "application/json")]
        switch clientAuth {
        case .basic:
            if let secret = clientSecret?.value {
                let pair = "\(FormEncoding.formEncode(clientID)):\(FormEncoding.formEncode(secret))"
                headers.append(HTTPHeader("Authorization", "Basic \(Data(pair.utf8).base64EncodedString())"))
            } else {
                form.append(("client_id", clientID))
            }
        case .post:
            form.append(("client_id", clientID))
            if let secret = clientSecret?.value { form.append(("client_secret", secret)) }
        }
        return HTTPRequest(method: "POST", url: tokenURL, headers: headers, body: Data(FormEncoding.encode(form).utf8), followRedirects: false)
    }

    /// The authorization request (RFC 6749 §4.1.1) with PKCE (RFC 7636, S256); nil when
    /// `authorizeURL` is not a URL.
    public func authorizationURL(_ authorizeURL: String, redirectURI: String, state: String, codeChallenge: String) -> String? {
        guard var components = URLComponents(string: authorizeURL) else { return nil }
        var items = components.queryItems ?? []
        items += [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI), URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge", value: codeChallenge), URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        if !scopes.isEmpty { items.append(URLQueryItem(name: "scope", value: scopes.joined(separator: " "))) }
        components.queryItems = items
        // `+` would read as a space in some servers' query parsers: encode it.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url?.absoluteString
    }
}
