import Foundation

/// Probes a connection once per configured auth method, all methods at the same time, and
/// records every exchange (redacted).
public struct ProbeRunner: Sendable {
    public let transport: ProbeTransport
    public let redactor: Redactor
    public let history: CredentialHistory
    public let state: StateDirectory?
    public let knowledge: KnowledgeBase?
    public var now: @Sendable () -> Date = { Date() }
    /// Where progress goes ("api_key: token request…"); the CLI shows it on a terminal.
    public var progress: @Sendable (String, String) -> Void = { _, _ in }
    /// Where a note that must reach the person right away goes (a rotated token was saved).
    public var notice: @Sendable (String) -> Void = { _ in }

    public init(transport: ProbeTransport, redactor: Redactor, history: CredentialHistory, state: StateDirectory?, knowledge: KnowledgeBase?) {
        self.transport = transport
        self.redactor = redactor
        self.history = history
        self.state = state
        self.knowledge = knowledge
    }

    /// The methods to probe: all of them, or those named with `--only`.
    public static func select(_ connection: Connection, only: [String]) throws -> [AuthMethod] {
        guard !only.isEmpty else { return connection.methods }
        for id in only where !connection.methods.contains(where: { $0.id == id }) {
            let ids = connection.methods.map(\.id)
            let suggestion = Spelling.suggestion(for: id, in: ids)
            throw HubDoctorError(.usage, "--only \(id): \(connection.file) has no auth method with that id; it has \(ids.joined(separator: ", ")).\(suggestion)")
        }
        return connection.methods.filter { only.contains($0.id) }
    }

    public func run(_ connection: Connection, options: ProbeOptions) async throws -> [MethodRun] {
        let methods = try Self.select(connection, only: options.only)
        redactor.learn(connection: connection)
        return await withTaskGroup(of: (Int, MethodRun).self) { group in
            for (index, method) in methods.enumerated() {
                group.addTask {
                    let prober = MethodProber(runner: self, connection: connection, method: method, options: options)
                    return (index, await prober.run())
                }
            }
            var results: [(Int, MethodRun)] = []
            for await result in group { results.append(result) }
            history.save()
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The provider note for a connection: named in the file, or found from the hosts it talks to.
    public func provider(for connection: Connection) -> String? {
        if let name = connection.provider { return knowledge?.provider(named: name)?.id ?? name }
        var hosts = [URLComponents(string: connection.baseURL)?.host]
        hosts += connection.methods.compactMap { $0.oauthClient.flatMap { URLComponents(string: $0.tokenURL)?.host } }
        for host in hosts.compactMap({ $0 }) { if let note = knowledge?.provider(forHost: host) { return note.id } }
        return nil
    }
}

/// Probes one method: the requests its auth type needs, in order, with what can run at the same time doing so.
struct MethodProber {
    let runner: ProbeRunner
    let connection: Connection
    let method: AuthMethod
    let options: ProbeOptions

    var recorder: ExchangeRecorder { ExchangeRecorder(redactor: runner.redactor) }
    var probe: ProbeSpec { method.probe ?? connection.probe }

    var transportOptions: TransportOptions {
        TransportOptions(timeout: options.timeout, caFile: connection.tls.caFile, trace: options.trace)
    }

    func run() async -> MethodRun {
        var run = MethodRun(id: method.id, type: method.type)
        run.context.provider = runner.provider(for: connection)
        run.context.requiredScopes = connection.requiredScopes
        run.context.credential = method.credentialSummary
        switch method.settings {
        case .apiKey(let key, let header, let scheme):
            let value = scheme.isEmpty ? key.value : "\(scheme) \(key.value)"
            await probeResource(&run, headers: [HTTPHeader(header, value)], secret: key.value)
            if run.exchanges.first(where: { $0.stage == .resource })?.status == 401 || run.exchanges.first(where: { $0.stage == .resource })?.status == 403 {
                await trySchemes(&run, key: key.value, configuredHeader: header, configuredScheme: scheme)
            }
        case .basic(let username, let password):
            let encoded = Data("\(username.value):\(password.value)".utf8).base64EncodedString()
            await probeResource(&run, headers: [HTTPHeader("Authorization", "Basic \(encoded)")], secret: "\(username.value):\(password.value)")
        case .serviceUser(let headers):
            let pairs = headers.map { HTTPHeader($0.name, $0.value.value) }
            await probeResource(&run, headers: pairs, secret: headers.map(\.value.value).joined(separator: "\u{0}"))
        case .clientCredentials(let client):
            await clientCredentials(&run, client: client)
        case .authorizationCode(let client, let authorizeURL, let redirectURI, let refreshToken):
            await authorizationCode(&run, client: client, authorizeURL: authorizeURL, redirectURI: redirectURI, refreshToken: refreshToken)
        }
        return run
    }

    // MARK: - Requests

    func send(_ request: HTTPRequest, stage: Stage, grantType: String? = nil) async -> Exchange {
        await sendRaw(request, stage: stage, grantType: grantType).0
    }

    /// The recorded exchange and the raw answer: a token response must be used before redaction.
    func sendRaw(_ request: HTTPRequest, stage: Stage, grantType: String? = nil) async -> (Exchange, RawExchange) {
        runner.progress(method.id, "\(stage.rawValue) \(request.method) \(URLComponents(string: request.url)?.host ?? "")")
        let raw = await runner.transport.perform(request, options: transportOptions)
        return (recorder.record(raw, stage: stage, grantType: grantType), raw)
    }

    func url(_ path: String) -> String {
        var base = connection.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    /// The ordinary probe and, when configured, the admin probe, at the same time.
    func probeResource(_ run: inout MethodRun, headers: [HTTPHeader], secret: String?) async {
        let credentialNames = Set(headers.map { $0.name.lowercased() })
        let accept = HTTPHeader("Accept", "application/json")
        let resource = HTTPRequest(method: probe.method, url: url(probe.path), headers: headers + [accept], credentialHeaders: credentialNames)
        let fingerprint = secret.map { runner.history.fingerprint(connection: connection.name, method: method.id, secret: $0) }
        if let fingerprint { run.context.history = runner.history.record(for: fingerprint) }
        async let admin: Exchange? = {
            guard let adminPath = probe.adminPath else { return nil }
            return await send(HTTPRequest(method: "GET", url: url(adminPath), headers: headers + [accept], credentialHeaders: credentialNames), stage: .admin)
        }()
        let exchange = await send(resource, stage: .resource)
        run.exchanges.append(exchange)
        if let adminExchange = await admin { run.exchanges.append(adminExchange) }
        noteClock(&run, exchange)
        if let fingerprint, let status = exchange.status {
            if (200..<300).contains(status) { runner.history.note(fingerprint, worked: true, at: runner.now()) }
            if status == 401 { runner.history.note(fingerprint, worked: false, at: runner.now()) }
        }
    }

    func noteClock(_ run: inout MethodRun, _ exchange: Exchange) {
        guard run.context.clockOffset == nil, let date = exchange.response?.headers.value("Date"), let server = HTTPDate.parse(date) else { return }
        // The Date header has one-second resolution and is stamped before the answer travels back.
        let local = exchange.startedAt.addingTimeInterval(exchange.timings.total / 1000)
        run.context.clockOffset = (server.timeIntervalSince(local)).rounded()
    }

    // MARK: - OAuth

    func clientCredentials(_ run: inout MethodRun, client: AuthMethod.OAuthClient) async {
        run.context.requestedScopes = client.scopes
        var fields = [("grant_type", "client_credentials")]
        if !client.scopes.isEmpty { fields.append(("scope", client.scopes.joined(separator: " "))) }
        async let discovery = Discovery(prober: self).check(client: client, grant: "client_credentials", authorizeURL: nil)
        let (exchange, raw) = await sendRaw(client.tokenRequest(fields), stage: .token, grantType: "client_credentials")
        run.exchanges.append(exchange)
        noteClock(&run, exchange)
        let secretFingerprint = client.clientSecret.map { runner.history.fingerprint(connection: connection.name, method: method.id, secret: client.clientID + "\u{0}" + $0.value) }
        if let secretFingerprint { run.context.history = runner.history.record(for: secretFingerprint) }
        let (discoveryExchanges, discoveryNotes) = await discovery
        run.exchanges.insert(contentsOf: discoveryExchanges, at: 0)
        run.context.notes += discoveryNotes
        guard exchange.succeeded, let token = TokenResponse.parse(raw.body, contentType: raw.headers.value("Content-Type")) else {
            if let secretFingerprint, exchange.status == 401 || exchange.response?.body?.contains("invalid_client") == true {
                runner.history.note(secretFingerprint, worked: false, at: runner.now())
            }
            return
        }
        if let secretFingerprint { runner.history.note(secretFingerprint, worked: true, at: runner.now()) }
        await useToken(&run, token)
    }

    func authorizationCode(_ run: inout MethodRun, client: AuthMethod.OAuthClient, authorizeURL: String, redirectURI: String, refreshToken: Secret?) async {
        run.context.requestedScopes = client.scopes
        run.context.redirectURI = redirectURI
        async let discovery = Discovery(prober: self).check(client: client, grant: "authorization_code", authorizeURL: authorizeURL)
        async let preflight = authorizePreflight(client: client, authorizeURL: authorizeURL, redirectURI: redirectURI)
        guard let refreshToken, !refreshToken.value.isEmpty else {
            run.context.skipped = "no refresh token is stored for this method; run `hubdoctor login \(connection.file) --only \(method.id)` to authorize it"
            run.exchanges += await discovery.0 + [await preflight].compactMap { $0 }
            run.context.notes += await discovery.1
            return
        }
        var fields = [("grant_type", "refresh_token"), ("refresh_token", refreshToken.value)]
        if !client.scopes.isEmpty { fields.append(("scope", client.scopes.joined(separator: " "))) }
        // Recording the answer learns the new tokens for redaction (in memory); a rotated refresh
        // token is then saved before anything else is sent or shown.
        let (exchange, raw) = await sendRaw(client.tokenRequest(fields), stage: .token, grantType: "refresh_token")
        let token = exchange.succeeded ? TokenResponse.parse(raw.body, contentType: raw.headers.value("Content-Type")) : nil
        if let newRefresh = token?.refreshToken, newRefresh != refreshToken.value {
            run.context.rotatedTokenSavedTo = saveRotated(newRefresh, origin: refreshToken.origin, notes: &run.context.notes)
        }
        run.exchanges.append(exchange)
        noteClock(&run, exchange)
        let (discoveryExchanges, discoveryNotes) = await discovery
        run.exchanges.insert(contentsOf: discoveryExchanges, at: 0)
        if let authorize = await preflight { run.exchanges.insert(authorize, at: discoveryExchanges.count) }
        run.context.notes += discoveryNotes
        guard let token else { return }
        await useToken(&run, token)
    }

    /// Saves a rotated refresh token where the old one came from (atomically, 0600), or in the state
    /// folder when it came from the environment. Returns where it went; never prints the token.
    func saveRotated(_ token: String, origin: Secret.Origin, notes: inout [String]) -> String? {
        let data = Data((token + "\n").utf8)
        if case .file(let path) = origin {
            do {
                try SecretFile.write(data, to: URL(fileURLWithPath: path))
                let message = "the provider rotated the refresh token; the new one was saved to \(path) (mode 0600)"
                notes.append(message)
                runner.notice("\(method.id): \(message).")
                return path
            } catch {
                notes.append("the provider rotated the refresh token but \(path) could not be written (\(error)); saving it in the state folder instead")
            }
        }
        guard let state = runner.state else {
            notes.append("the provider rotated the refresh token and hubdoctor has no state folder to save it in: reconnect with `hubdoctor login`")
            return nil
        }
        let file = state.tokenFile(connection: connection.name, method: method.id)
        do {
            try SecretFile.write(data, to: file)
            let source: String
            if case .environment(let name) = origin { source = "the environment variable \(name)" } else { source = "the connection file" }
            let message = "the provider rotated the refresh token, which came from \(source); the new one was saved to \(file.path) (mode 0600). Point refresh_token at ${file:\(file.path)} or update \(source), or the next run will fail"
            notes.append(message)
            runner.notice("\(method.id): \(message).")
            return file.path
        } catch {
            notes.append("the provider rotated the refresh token and it could not be saved (\(error)): reconnect with `hubdoctor login`")
            return nil
        }
    }

    /// Calls the API with the token just obtained, after noting the granted scopes and the token's claims.
    func useToken(_ run: inout MethodRun, _ token: TokenResponse) async {
        run.context.grantedScopes = token.scope
        run.context.tokenClaims = JWTClaims(token: token.accessToken)
        if token.tokenType.map({ $0.lowercased() != "bearer" }) == true {
            run.context.notes.append("the token response's token_type is \"\(token.tokenType!)\", not Bearer; hubdoctor sends it as Bearer")
        }
        await probeResource(&run, headers: [HTTPHeader("Authorization", "Bearer \(token.accessToken)")], secret: nil)
    }

    /// Asks the authorization endpoint for the login page without logging in: a provider that rejects
    /// the redirect URI or the client says so before anyone signs in.
    func authorizePreflight(client: AuthMethod.OAuthClient, authorizeURL: String, redirectURI: String) async -> Exchange? {
        guard let url = client.authorizationURL(authorizeURL, redirectURI: redirectURI, state: PKCE.randomString(length: 24), codeChallenge: PKCE().challenge)
        else { return nil }
        return await send(HTTPRequest(method: "GET", url: url, headers: [HTTPHeader("Accept", "text/html")], followRedirects: false), stage: .authorize)
    }

    // MARK: - Other schemes

    /// With `--try-schemes`, or for vendors known to want it, tries the other plausible ways of
    /// sending the same key to the same host, within a small budget.
    func trySchemes(_ run: inout MethodRun, key: String, configuredHeader: String, configuredScheme: String) async {
        let providerWants = run.context.provider.flatMap { runner.knowledge?.provider(named: $0)?.trySchemes } ?? false
        guard options.trySchemes || providerWants else { return }
        let basicKeyColon = Data("\(key):".utf8).base64EncodedString()
        let basicKeyX = Data("\(key):x".utf8).base64EncodedString()
        var candidates: [(label: String, header: HTTPHeader, fix: String)] = [
            ("Authorization: Bearer", HTTPHeader("Authorization", "Bearer \(key)"), "header: Authorization, scheme: Bearer"),
            ("the X-API-Key header", HTTPHeader("X-API-Key", key), "header: X-API-Key, scheme: \"\""),
            ("Basic with the key as user name and an empty password", HTTPHeader("Authorization", "Basic \(basicKeyColon)"),
             "type: basic, username: the key, password: \"\""),
            ("Basic with the key as user name and password \"x\"", HTTPHeader("Authorization", "Basic \(basicKeyX)"),
             "type: basic, username: the key, password: x"),
            ("Authorization: Token", HTTPHeader("Authorization", "Token \(key)"), "header: Authorization, scheme: Token"),
        ]
        candidates.removeAll { $0.header.name.caseInsensitiveCompare(configuredHeader) == .orderedSame && $0.header.value == (configuredScheme.isEmpty ? key : "\(configuredScheme) \(key)") }
        let budget = 4
        for candidate in candidates.prefix(budget) {
            let request = HTTPRequest(
                method: probe.method, url: url(probe.path), headers: [candidate.header, HTTPHeader("Accept", "application/json")],
                credentialHeaders: [candidate.header.name.lowercased()])
            let exchange = await send(request, stage: .resource)
            run.context.notes.append("tried \(candidate.label): \(exchange.outcome)")
            if exchange.succeeded {
                run.context.workingScheme = candidate.label
                run.context.schemeFix = candidate.fix
                run.exchanges.append(exchange)
                return
            }
        }
    }
}
