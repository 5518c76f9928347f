import Foundation
import HubDoctorCore
import HubDoctorTransport

/// A local HTTP(S) server that behaves like a SaaS provider: OAuth authorize and token endpoints
/// (client credentials, authorization code with PKCE, refresh with optional rotation), RFC 8414
/// metadata, a protected API with scope checks and RFC 6750 challenges, an admin-only endpoint,
/// and API-key, Basic and service-user authentication, each switchable into the faults of a
/// `Scenario`. It listens on 127.0.0.1 on a free port.
public final class ProviderSimulator: @unchecked Sendable {
    public let scenario: Scenario
    public let credentials: SimulatorCredentials
    public private(set) var port = 0
    public private(set) var tls: SimulatorTLS?
    /// Extra delay before every answer (benchmarks set it).
    public var answerDelay: TimeInterval = 0
    /// Echo every credential received back in headers, cookies, bodies, error messages and
    /// redirects, in several encodings: the redaction tests' worst case.
    public var echoSecrets = false

    private var server: LoopbackServer?
    private let lock = NSLock()
    private var validRefreshTokens: Set<String>
    private var codes: [String: (redirectURI: String, challenge: String?, scope: String)] = [:]
    private let signingKey: [UInt8]
    private var requestCount = 0
    private var inFlight = 0
    private var maxInFlight = 0

    /// The most requests the simulator was answering at the same moment.
    public var maxConcurrentRequests: Int {
        lock.lock()
        defer { lock.unlock() }
        return maxInFlight
    }

    public static let supportedScopes = ["read:employees", "write:employees", "admin", "offline_access"]
    public static let apiPath = "/api/v1/employees"
    public static let adminPath = "/api/v1/admin/settings"

    public init(scenario: Scenario, credentials: SimulatorCredentials = SimulatorCredentials()) {
        self.scenario = scenario
        self.credentials = credentials
        validRefreshTokens = [credentials.refreshToken]
        var generator = SystemRandomNumberGenerator()
        signingKey = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    deinit { stop() }

    var faults: Set<Fault> { scenario.faults }

    /// Starts listening; returns the base URL (`http://127.0.0.1:PORT` or `https://localhost:PORT`).
    @discardableResult
    public func start() throws -> String {
        var streams: StreamWrapper = PlainStreams()
        switch scenario.network {
        case .tls: tls = try SimulatorTLS(kind: .trusted)
        case .selfSignedTLS: tls = try SimulatorTLS(kind: .selfSigned)
        case .expiredTLS: tls = try SimulatorTLS(kind: .expired)
        default: break
        }
        if let tls { streams = tls }
        let server = try LoopbackServer(streams: streams) { [weak self] request in
            guard let self else { return ServerResponse(status: 503) }
            self.lock.lock()
            self.inFlight += 1
            self.maxInFlight = max(self.maxInFlight, self.inFlight)
            self.lock.unlock()
            if self.answerDelay > 0 { Thread.sleep(forTimeInterval: self.answerDelay) }
            let response = self.handle(request)
            self.lock.lock()
            self.inFlight -= 1
            self.lock.unlock()
            return response
        }
        self.server = server
        port = server.port
        return baseURL
    }

    public func stop() {
        server?.stop()
        server = nil
    }

    /// The scheme and host the simulator answers on: HTTPS uses `localhost`, the name in its certificate.
    public var baseURL: String { tls == nil ? "http://127.0.0.1:\(port)" : "https://localhost:\(port)" }

    /// How many requests reached the simulator.
    public var requests: Int {
        lock.lock()
        defer { lock.unlock() }
        return requestCount
    }

    // MARK: - Routing

    func handle(_ request: ServerRequest) -> ServerResponse {
        lock.lock()
        requestCount += 1
        lock.unlock()
        var response = route(request)
        if faults.contains(.clockSkew) {
            response.headers.removeAll { $0.name == "Date" }
            response.headers.append(HTTPHeader("Date", HTTPDate.format(Date().addingTimeInterval(600))))
        }
        if faults.contains(.slow) { response.delay = 5 }
        return response
    }

    func route(_ request: ServerRequest) -> ServerResponse {
        if echoSecrets { return echo(request) }
        if faults.contains(.unavailable) {
            return .json(503, ["error": "service_unavailable", "message": "Scheduled maintenance in progress; try again later."], headers: [HTTPHeader("Retry-After", "120")])
        }
        if faults.contains(.rateLimited) {
            return .json(429, ["error": "rate_limited", "message": "Too many requests: limit is 100 per minute."], headers: [
                HTTPHeader("Retry-After", "30"), HTTPHeader("X-RateLimit-Limit", "100"), HTTPHeader("X-RateLimit-Remaining", "0"),
            ])
        }
        switch (request.method, request.path) {
        case ("GET", "/.well-known/oauth-authorization-server"): return metadata()
        case ("GET", "/oauth/authorize"): return authorize(request)
        case ("POST", "/oauth/token"): return token(request)
        default: break
        }
        let apiPrefix = faults.contains(.wrongPath) ? "/api/v2/" : "/api/v1/"
        guard request.path.hasPrefix(apiPrefix) else {
            return .json(404, ["error": "not_found", "message": "No route for \(request.method) \(request.path)"])
        }
        if faults.contains(.ipNotAllowed) {
            return .json(403, ["error": "forbidden", "message": "Requests from 127.0.0.1 are not on this account's IP allowlist."])
        }
        switch authenticate(request) {
        case .failure(let response): return response
        case .success(let scopes):
            let resource = String(request.path.dropFirst(apiPrefix.count))
            if resource.hasPrefix("admin") {
                if faults.contains(.missingAdmin) {
                    return .json(403, ["error": "forbidden", "message": "This endpoint requires the Administrator role."])
                }
                return .json(200, ["settings": ["sso": true, "region": "eu"]])
            }
            if let scopes, !scopes.contains("read:employees") {
                return .json(
                    403, ["error": "insufficient_scope", "error_description": "The access token lacks the read:employees scope."],
                    headers: [HTTPHeader("WWW-Authenticate", #"Bearer realm="simulated-hr", error="insufficient_scope", scope="read:employees""#)])
            }
            return .json(200, ["employees": [["id": 1, "name": "Jane Example", "email": "jane@example.com"]], "next": NSNull()])
        }
    }

    // MARK: - Echo

    /// Every credential-bearing value of a request: headers (and their decoded Basic pair), form and query fields.
    func receivedSecrets(_ request: ServerRequest) -> [String] {
        var values: [String] = []
        for header in request.headers {
            let name = header.name.lowercased()
            guard name == "authorization" || name.hasPrefix("x-api") || name.hasPrefix("x-service-user") || name == "cookie" else { continue }
            values.append(header.value)
            let parts = header.value.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                values.append(parts[1])
                if parts[0].lowercased() == "basic", let data = Data(base64Encoded: parts[1]) {
                    let pair = String(decoding: data, as: UTF8.self)
                    values.append(pair)
                    values += pair.split(separator: ":", maxSplits: 1).map { FormEncoding.unescape(String($0)) }
                }
            }
        }
        for (name, value) in request.form where name != "grant_type" && name != "scope" { values.append(value) }
        for (_, value) in request.query { values.append(value) }
        return values.filter { !$0.isEmpty }
    }

    func echo(_ request: ServerRequest) -> ServerResponse {
        let values = receivedSecrets(request)
        let joined = values.joined(separator: " | ")
        let base64 = values.map { Data($0.utf8).base64EncodedString() }
        let encoded = values.map(FormEncoding.percentEncode)
        // An API call first bounces through a redirect that carries the credentials in its query.
        if request.path.hasPrefix("/api/"), !request.path.hasSuffix("/echo"), let first = values.first {
            return ServerResponse(status: 302, headers: [
                HTTPHeader("Location", "\(request.path)/echo?token=\(FormEncoding.percentEncode(first))&b64=\(FormEncoding.percentEncode(base64.first ?? ""))"),
                HTTPHeader("Set-Cookie", "session=\(first); Path=/; HttpOnly"),
            ])
        }
        var headers = [
            HTTPHeader("Set-Cookie", "session=\(values.first ?? "none"); Path=/"),
            HTTPHeader("X-Echo-Received", joined),
            HTTPHeader("X-Echo-Base64", base64.joined(separator: ",")),
            HTTPHeader("X-Echo-Encoded", encoded.joined(separator: ",")),
            HTTPHeader("WWW-Authenticate", "Bearer realm=\"echo\", error=\"invalid_token\", error_description=\"rejected \(joined.replacingOccurrences(of: "\"", with: "\\\""))\""),
        ]
        let body: [String: Any] = [
            "error": request.path == "/oauth/token" ? "invalid_client" : "invalid_token",
            "error_description": "The credential \(joined) was rejected.",
            "echo": ["plain": values, "base64": base64, "urlencoded": encoded, "form": FormEncoding.encode(values.map { ("value", $0) })],
            "message": "Received: \(joined)",
        ]
        if request.path == "/oauth/token" {
            // Form-encoded error bodies happen in the wild too.
            let form = FormEncoding.encode([("error", "invalid_client"), ("error_description", "bad secret \(joined)"), ("echo_b64", base64.joined(separator: ","))])
            headers.append(HTTPHeader("Content-Type", "application/x-www-form-urlencoded"))
            return ServerResponse(status: 400, headers: headers, body: Data(form.utf8))
        }
        return .json(401, body, headers: headers)
    }

    // MARK: - API authentication

    enum Authentication {
        /// Authenticated; the token's scopes when it was an OAuth token.
        case success([String]?)
        case failure(ServerResponse)
    }

    static let bearerRealm = #"Bearer realm="simulated-hr""#

    func authenticate(_ request: ServerRequest) -> Authentication {
        if let key = request.header("X-API-Key") {
            return key == credentials.apiKey && !faults.contains(.rotatedKey) ? .success(nil) : .failure(invalidToken("The API key is invalid or has been revoked."))
        }
        if let id = request.header("X-Service-User-ID") {
            let token = request.header("X-Service-User-Token") ?? ""
            guard id == credentials.serviceUserID, token == credentials.serviceUserToken, !faults.contains(.revokedServiceUser) else {
                return .failure(.json(401, ["error": "unauthorized", "message": "Service user credentials are invalid."]))
            }
            return .success(nil)
        }
        guard let authorization = request.header("Authorization") else {
            return .failure(.json(401, ["error": "unauthorized", "message": "Authentication required."], headers: [HTTPHeader("WWW-Authenticate", Self.bearerRealm)]))
        }
        let parts = authorization.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return .failure(invalidToken("The Authorization header is malformed.")) }
        switch parts[0].lowercased() {
        case "basic":
            let decoded = Data(base64Encoded: parts[1]).map { String(decoding: $0, as: UTF8.self) } ?? ""
            if decoded == "\(credentials.username):\(credentials.password)", !faults.contains(.changedPassword) { return .success(nil) }
            return .failure(.json(401, ["error": "invalid_credentials", "message": "Invalid username or password."], headers: [HTTPHeader("WWW-Authenticate", #"Basic realm="simulated-hr""#)]))
        case "bearer":
            let token = parts[1]
            if token == credentials.apiKey {
                if faults.contains(.wrongScheme) {
                    return .failure(.json(401, ["error": "unauthorized", "message": "Missing API key: send it in the X-API-Key header."], headers: [HTTPHeader("WWW-Authenticate", #"ApiKey header="X-API-Key""#)]))
                }
                return faults.contains(.rotatedKey) ? .failure(invalidToken("The API key is invalid or has been revoked.")) : .success(nil)
            }
            guard let claims = verify(token) else { return .failure(invalidToken("The access token is invalid.")) }
            let now = Date().timeIntervalSince1970
            if let exp = claims["exp"]?.numberValue, exp < now { return .failure(invalidToken("The access token expired")) }
            if let nbf = claims["nbf"]?.numberValue, nbf > now + 60 { return .failure(invalidToken("The access token is not yet valid (nbf is in the future)")) }
            let scopes = claims["scope"]?.stringValue?.split(separator: " ").map(String.init) ?? []
            return .success(scopes)
        default:
            return .failure(.json(401, ["error": "unauthorized", "message": "Unsupported authorization scheme \(parts[0])."], headers: [HTTPHeader("WWW-Authenticate", Self.bearerRealm)]))
        }
    }

    func invalidToken(_ description: String) -> ServerResponse {
        .json(401, ["error": "invalid_token", "error_description": description], headers: [
            HTTPHeader("WWW-Authenticate", "\(Self.bearerRealm), error=\"invalid_token\", error_description=\"\(description)\""),
        ])
    }

    // MARK: - OAuth

    func metadata() -> ServerResponse {
        .json(200, [
            "issuer": baseURL, "authorization_endpoint": "\(baseURL)/oauth/authorize", "token_endpoint": "\(baseURL)/oauth/token",
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": Self.supportedScopes, "response_types_supported": ["code"], "code_challenge_methods_supported": ["S256"],
        ])
    }

    var registeredRedirectURI: String { faults.contains(.redirectURIMismatch) ? "https://hub.example.com/oauth/callback" : credentials.redirectURI }

    func authorize(_ request: ServerRequest) -> ServerResponse {
        let query = request.query
        guard query["client_id"] == credentials.clientID else {
            return .text(400, "<html><body><h1>Error 401: invalid_client</h1><p>The OAuth client was not found.</p></body></html>", type: "text/html")
        }
        let redirect = query["redirect_uri"] ?? ""
        guard redirect == registeredRedirectURI else {
            // RFC 6749 §4.1.2.1: never redirect to an unregistered URI; show the error instead.
            return .text(400, """
                <html><head><title>Error 400: redirect_uri_mismatch</title></head><body>
                <h1>Error 400: redirect_uri_mismatch</h1>
                <p>The redirect URI in the request, \(redirect), does not match the ones authorized for the OAuth client.
                Registered: \(registeredRedirectURI)</p></body></html>
                """, type: "text/html; charset=utf-8")
        }
        let state = query["state"] ?? ""
        guard query["response_type"] == "code" else {
            return .redirect(redirect + "?error=unsupported_response_type&state=\(FormEncoding.formEncode(state))")
        }
        let code = "code_" + PKCE.randomString(length: 24)
        lock.lock()
        codes[code] = (redirect, query["code_challenge"], query["scope"] ?? "")
        lock.unlock()
        return .redirect(redirect + "?code=\(code)&state=\(FormEncoding.formEncode(state))")
    }

    func token(_ request: ServerRequest) -> ServerResponse {
        let form = request.form
        var clientID = form["client_id"]
        var clientSecret = form["client_secret"]
        if let authorization = request.header("Authorization"), authorization.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(authorization.dropFirst(6))), let pair = String(data: data, encoding: .utf8),
            let colon = pair.firstIndex(of: ":")
        {
            clientID = FormEncoding.unescape(String(pair[..<colon]))
            clientSecret = FormEncoding.unescape(String(pair[pair.index(after: colon)...]))
        }
        guard clientID == credentials.clientID, clientSecret == nil || clientSecret == credentials.clientSecret, !faults.contains(.rotatedClientSecret) || clientSecret == nil else {
            return .json(401, ["error": "invalid_client", "error_description": "Client authentication failed."], headers: [HTTPHeader("WWW-Authenticate", #"Basic realm="simulated-oauth""#)])
        }
        switch form["grant_type"] {
        case "client_credentials":
            guard clientSecret != nil else { return .json(401, ["error": "invalid_client", "error_description": "A client secret is required."]) }
            if faults.contains(.grantNotAllowed) {
                return .json(400, ["error": "unauthorized_client", "error_description": "The client is not authorized to use the client_credentials grant type."])
            }
            return issue(scope: form["scope"], refresh: false)
        case "authorization_code":
            lock.lock()
            let entry = form["code"].flatMap { codes.removeValue(forKey: $0) }
            lock.unlock()
            guard let entry else { return .json(400, ["error": "invalid_grant", "error_description": "The authorization code is invalid or was already used."]) }
            guard form["redirect_uri"] == entry.redirectURI else {
                return .json(400, ["error": "invalid_grant", "error_description": "redirect_uri does not match the one used in the authorization request."])
            }
            if let challenge = entry.challenge {
                guard let verifier = form["code_verifier"], PKCE(verifier: verifier).challenge == challenge else {
                    return .json(400, ["error": "invalid_grant", "error_description": "PKCE verification failed: code_verifier does not match code_challenge."])
                }
            }
            return issue(scope: form["scope"] ?? entry.scope, refresh: true)
        case "refresh_token":
            let presented = form["refresh_token"] ?? ""
            if faults.contains(.revokedRefreshToken) {
                return .json(400, ["error": "invalid_grant", "error_description": "The refresh token has been revoked."])
            }
            if faults.contains(.expiredRefreshToken) {
                return .json(400, ["error": "invalid_grant", "error_description": "The refresh token has expired: it was issued 91 days ago and refresh tokens live 90 days."])
            }
            if faults.contains(.interactionRequired) {
                return .json(400, ["error": "interaction_required", "error_description": "Multi-factor authentication is required by your organization's policy. Sign in again."])
            }
            lock.lock()
            let valid = validRefreshTokens.contains(presented)
            if valid, faults.contains(.rotateRefreshTokens) { validRefreshTokens.remove(presented) }
            lock.unlock()
            guard valid else { return .json(400, ["error": "invalid_grant", "error_description": "The refresh token is invalid or was already used."]) }
            return issue(scope: form["scope"], refresh: faults.contains(.rotateRefreshTokens))
        case let other:
            return .json(400, ["error": "unsupported_grant_type", "error_description": "Grant type \(other ?? "(none)") is not supported."])
        }
    }

    /// A token response; the access token is a signed JWT carrying the granted scopes.
    func issue(scope requested: String?, refresh: Bool) -> ServerResponse {
        let asked = (requested ?? "read:employees").split(separator: " ").map(String.init)
        if let unknown = asked.first(where: { !Self.supportedScopes.contains($0) }) {
            return .json(400, ["error": "invalid_scope", "error_description": "The scope \(unknown) is not valid for this client."])
        }
        var granted = asked
        if faults.contains(.missingScope) { granted.removeAll { $0 == "read:employees" } }
        let now = Date().timeIntervalSince1970
        let issued = faults.contains(.clockSkew) ? now + 600 : now
        var claims: [String: Any] = [
            "iss": baseURL, "aud": "simulated-hr-api", "sub": "user-4711", "email": "jane.doe@example.com", "name": "Jane Doe",
            "client_id": credentials.clientID, "scope": granted.joined(separator: " "), "iat": Int(issued), "nbf": Int(issued),
            "exp": Int(faults.contains(.expiredAccessToken) ? now - 600 : issued + 3600), "jti": PKCE.randomString(length: 12),
        ]
        if faults.contains(.expiredAccessToken) { claims["iat"] = Int(now - 4200); claims["nbf"] = Int(now - 4200) }
        var body: [String: Any] = ["access_token": sign(claims), "token_type": "Bearer", "expires_in": 3600, "scope": granted.joined(separator: " ")]
        if refresh {
            let token = "rt_" + PKCE.randomString(length: 32)
            lock.lock()
            validRefreshTokens.insert(token)
            lock.unlock()
            body["refresh_token"] = token
        }
        return .json(200, body, headers: [HTTPHeader("Cache-Control", "no-store")])
    }

    func sign(_ claims: [String: Any]) -> String {
        let header = Base64URL.encode(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = Base64URL.encode((try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])) ?? Data())
        let signature = Base64URL.encode(Data(SHA256.hmac(key: signingKey, message: Array("\(header).\(payload)".utf8))))
        return "\(header).\(payload).\(signature)"
    }

    func verify(_ token: String) -> [String: JSONValue]? {
        let parts = token.split(separator: ".").map(String.init)
        guard parts.count == 3 else { return nil }
        let expected = Base64URL.encode(Data(SHA256.hmac(key: signingKey, message: Array("\(parts[0]).\(parts[1])".utf8))))
        guard expected == parts[2] else { return nil }
        return JWTClaims(token: token)?.claims
    }
}
