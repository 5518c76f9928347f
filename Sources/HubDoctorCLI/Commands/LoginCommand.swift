import ArgumentParser
import Foundation
import HubDoctorCore
import HubDoctorTransport

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Run the OAuth 2.0 authorization-code flow (PKCE, state, loopback redirect) and store the refresh token.",
        discussion: """
            hubdoctor listens on 127.0.0.1 at the port of the method's redirect_uri (RFC 8252), opens the
            authorization page in a browser (or prints it with --no-browser), checks the returned state,
            exchanges the code with its PKCE verifier, and saves the refresh token (mode 0600) to the
            ${file:...} the connection file names, or to hubdoctor's state folder.
            """)

    @Argument(help: "The connection file.")
    var connection: String

    @Option(help: ArgumentHelp("The oauth2_authorization_code method to authorize.", valueName: "ID"))
    var only: String?

    @Flag(name: .customLong("no-browser"), help: "Print the authorization URL instead of opening a browser.")
    var noBrowser = false

    @Option(help: "Seconds to wait for the browser to come back.")
    var timeout: Double = 300

    @OptionGroup var knowledge: KnowledgeOptions

    func run() async throws {
        let loaded = try ConnectionFileParser.load(path: connection)
        for warning in loaded.warnings { Console.standard.warning(warning) }
        let method = try chooseMethod(loaded)
        guard case .authorizationCode(let client, let authorizeURL, let redirectURI, let refreshToken) = method.settings else {
            throw HubDoctorError(.usage, "method '\(method.id)' is \(method.type.rawValue); login needs an oauth2_authorization_code method.")
        }
        let session = try LoginSession(connection: loaded, method: method, client: client, authorizeURL: authorizeURL, redirectURI: redirectURI)
        let console = Console.standard
        console.error("Listening on \(session.listenAddress) for the redirect to \(redirectURI).")
        console.error("Open this URL in a browser and approve access:")
        console.error(session.authorizationURL)
        if !noBrowser { openBrowser(session.authorizationURL) }
        let callback = try session.waitForCallback(timeout: timeout)
        let toolkit = try Toolkit(knowledge)
        let outcome = await session.exchange(callback, toolkit: toolkit)
        switch outcome {
        case .failed(let finding):
            console.error("Authorization failed: \(finding.failureClass.rawValue): \(finding.summary)")
            for line in finding.evidence { console.error("  · \(line)") }
            for (index, step) in finding.remediation.enumerated() { console.error("  \(index + 1). \(step)") }
            throw ExitCode(ExitStatus.forClasses([finding.failureClass]))
        case .succeeded(let token, let scope):
            let saved = try session.store(token, origin: refreshToken?.origin)
            console.output("Authorized \(method.id)\(scope.map { " (scopes granted: \($0))" } ?? ""). The refresh token was saved to \(saved.path) (mode 0600).")
            if saved.addToConnection { console.output("Add this line to method '\(method.id)' in \(connection):\n  refresh_token: ${file:\(saved.path)}") }
            console.output("Next: hubdoctor diagnose \(connection) --only \(method.id)")
        }
    }

    func chooseMethod(_ connection: Connection) throws -> AuthMethod {
        if let only { return try ProbeRunner.select(connection, only: [only])[0] }
        let candidates = connection.methods.filter { $0.type == .oauth2AuthorizationCode }
        guard candidates.count == 1 else {
            throw HubDoctorError(
                .usage,
                candidates.isEmpty
                    ? "\(connection.file) has no oauth2_authorization_code method to log in with."
                    : "\(connection.file) has several authorization-code methods; choose one with --only (\(candidates.map(\.id).joined(separator: ", "))).")
        }
        return candidates[0]
    }

    func openBrowser(_ url: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        if (try? process.run()) == nil {
            Console.standard.warning("could not start xdg-open; open the URL above yourself.")
        }
    }
}

/// One authorization: the listener, PKCE and state, the code exchange and storing the token.
final class LoginSession: @unchecked Sendable {
    struct Callback {
        var query: [String: String]
    }

    enum Outcome {
        case succeeded(refreshToken: String, scope: String?)
        case failed(Finding)
    }

    let connection: Connection
    let method: AuthMethod
    let client: AuthMethod.OAuthClient
    let redirectURI: String
    let pkce = PKCE()
    let state = PKCE.randomString(length: 32)
    let authorizationURL: String
    let listenAddress: String
    private var server: LoopbackServer?
    private let semaphore = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var received: Callback?

    init(connection: Connection, method: AuthMethod, client: AuthMethod.OAuthClient, authorizeURL: String, redirectURI: String) throws {
        self.connection = connection
        self.method = method
        self.client = client
        self.redirectURI = redirectURI
        guard let redirect = URLComponents(string: redirectURI), redirect.scheme == "http",
            let host = redirect.host, ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
        else {
            throw HubDoctorError(
                .usage,
                "redirect_uri \(redirectURI) of method '\(method.id)' is not a loopback address; hubdoctor login listens on http://127.0.0.1:PORT/... (RFC 8252 §7.3). Register such a URI with the provider and set redirect_uri to it.")
        }
        guard let port = redirect.port else {
            throw HubDoctorError(.usage, "redirect_uri \(redirectURI) has no port; add one that is free, e.g. http://127.0.0.1:8765/callback, and register it with the provider.")
        }
        guard let url = client.authorizationURL(authorizeURL, redirectURI: redirectURI, state: state, codeChallenge: pkce.challenge) else {
            throw HubDoctorError(.dataError, "authorize_url \(authorizeURL) is not a URL.")
        }
        authorizationURL = url
        listenAddress = "127.0.0.1:\(port)"
        let path = redirect.path.isEmpty ? "/" : redirect.path
        server = try LoopbackServer(port: port) { [weak self] request in
            guard let self, request.path == path else {
                return .text(404, "hubdoctor is waiting for the OAuth redirect at \(path).")
            }
            self.lock.lock()
            let first = self.received == nil
            if first { self.received = Callback(query: request.query) }
            self.lock.unlock()
            if first { self.semaphore.signal() }
            let failed = request.query["error"] != nil
            let page = failed
                ? "<html><body><h1>Authorization failed</h1><p>The provider answered \(HTMLEscaping.escape(request.query["error"] ?? "")). Return to the terminal.</p></body></html>"
                : "<html><body><h1>hubdoctor received the authorization</h1><p>You can close this window and return to the terminal.</p></body></html>"
            return .text(200, page, type: "text/html; charset=utf-8")
        }
    }

    deinit { server?.stop() }

    func waitForCallback(timeout: Double) throws -> Callback {
        if semaphore.wait(timeout: .now() + timeout) == .timedOut {
            throw HubDoctorError(.usage, "no redirect came back within \(Int(timeout)) seconds; run hubdoctor login again (--timeout to wait longer).")
        }
        lock.lock()
        defer { lock.unlock() }
        return received!
    }

    func exchange(_ callback: Callback, toolkit: Toolkit) async -> Outcome {
        let query = callback.query
        let redactor = Redactor()
        redactor.learn(connection: connection)
        let classifier = toolkit.classifier
        if let error = query["error"] {
            var evidence = Evidence()
            evidence.stage = .authorize
            evidence.oauthError = error
            evidence.errorDescription = query["error_description"].map(redactor.redact)
            if let description = evidence.errorDescription { evidence.messages = [description] }
            evidence.extra["redirect_uri"] = redirectURI
            evidence.extra["method_id"] = method.id
            return .failed(classifier.classify(evidence))
        }
        guard query["state"] == state else {
            return .failed(Finding(
                failureClass: .unknown, confidence: 1,
                summary: "The redirect carried a state that hubdoctor did not send: the answer was refused (it could be a forged request, RFC 6749 §10.12).",
                evidence: ["state received: \(query["state"] == nil ? "none" : "a different value")"],
                remediation: ["Run `hubdoctor login` again and finish the flow in the browser tab it opens."]))
        }
        guard let code = query["code"], !code.isEmpty else {
            return .failed(Finding(failureClass: .unknown, confidence: 1, summary: "The redirect carried neither a code nor an error.", remediation: ["Run `hubdoctor login` again."]))
        }
        redactor.learn(code, kind: "authorization_code")
        redactor.learn(pkce.verifier, kind: "code_verifier")
        let request = client.tokenRequest([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", pkce.verifier)])
        let raw = await CurlTransport().perform(request, options: TransportOptions(timeout: 30, caFile: connection.tls.caFile))
        if let status = raw.status, (200..<300).contains(status), let token = TokenResponse.parse(raw.body, contentType: raw.headers.value("Content-Type")) {
            guard let refresh = token.refreshToken else {
                return .failed(Finding(
                    failureClass: .refreshTokenInvalid, confidence: 0.9,
                    summary: "The provider issued an access token but no refresh token, so the connection cannot renew itself.",
                    remediation: ["Request the scope that grants offline access (often `offline_access`) in the method's scopes.", "Run `hubdoctor login` again."],
                    faq: classifier.references(["missing-refresh-token"])))
            }
            return .succeeded(refreshToken: refresh, scope: token.scope?.joined(separator: " "))
        }
        let exchange = ExchangeRecorder(redactor: redactor).record(raw, stage: .token, grantType: "authorization_code")
        var run = MethodRun(id: method.id, type: method.type, exchanges: [exchange])
        run.context.redirectURI = redirectURI
        let evidence = toolkit.extractor.evidence(for: exchange, in: run)
        return .failed(classifier.classify(evidence))
    }

    /// Saves the refresh token where the connection file points, or in the state folder.
    func store(_ token: String, origin: Secret.Origin?) throws -> (path: String, addToConnection: Bool) {
        let data = Data((token + "\n").utf8)
        if case .file(let path)? = origin {
            try SecretFile.write(data, to: URL(fileURLWithPath: path))
            return (path, false)
        }
        let file = StateDirectory.default().tokenFile(connection: connection.name, method: method.id)
        try SecretFile.write(data, to: file)
        return (file.path, true)
    }
}
