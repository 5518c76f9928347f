import Foundation
import HubDoctorCore
import HubDoctorSimulator
import HubDoctorTestSupport
import HubDoctorTransport
import Testing

/// `hubdoctor login` end to end with --no-browser, refresh-token rotation, and redirects.
@Suite struct LoginAndRotationTests {
    /// A free loopback port for the redirect URI.
    static func freePort() throws -> Int { try DemoConnection.closedPort() }

    /// Runs `hubdoctor login` in the background and hands back the authorization URL it prints.
    final class LoginProcess: @unchecked Sendable {
        let process = Process()
        let stderr = Pipe()
        let stdout = Pipe()
        private(set) var errorText = ""

        init(connection: URL, environment: [String: String]) throws {
            process.executableURL = CommandRunner.binary
            process.arguments = ["login", connection.path, "--only", "oauth2_authorization_code", "--no-browser", "--timeout", "30"]
            process.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"].merging(environment) { $1 }
            process.standardError = stderr
            process.standardOutput = stdout
            try process.run()
        }

        /// Reads stderr until the printed URL appears.
        func authorizationURL() throws -> String {
            let handle = stderr.fileHandleForReading
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                errorText += String(decoding: chunk, as: UTF8.self)
                if let line = errorText.split(separator: "\n").first(where: { $0.hasPrefix("http") }) { return String(line) }
            }
            throw SimulatorError("login printed no URL: \(errorText)")
        }

        func finish() -> (status: Int32, stdout: String, stderr: String) {
            process.waitUntilExit()
            errorText += String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (process.terminationStatus, String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), errorText)
        }
    }

    /// What a browser does: ask the authorization endpoint, follow its redirect to the loopback listener.
    static func followLikeABrowser(_ url: String, tamper: ((String) -> String)? = nil) throws -> RawExchange {
        let authorize = CurlTransport.performBlocking(HTTPRequest(method: "GET", url: url, followRedirects: false), options: TransportOptions(timeout: 10))
        #expect(authorize.status == 302)
        guard let location = authorize.headers.value("Location") else { throw SimulatorError("no redirect from the authorization endpoint") }
        return CurlTransport.performBlocking(HTTPRequest(method: "GET", url: tamper?(location) ?? location), options: TransportOptions(timeout: 10))
    }

    @Test func loginStoresARefreshTokenThatWorks() throws {
        let port = try Self.freePort()
        let credentials = SimulatorCredentials(redirectURI: "http://127.0.0.1:\(port)/callback")
        let harness = try SimulatorHarness(scenario: Scenario.named("healthy")!, credentials: credentials, methods: [.oauth2AuthorizationCode])
        // Start from a refresh token the provider does not know.
        try Data("rt_stale_unknown_to_the_provider\n".utf8).write(to: harness.files.refreshTokenFile)
        let before = try harness.diagnose(["--no-bundle", "--format", "json"])
        #expect(before.stdout.contains("\"class\" : \"refresh_token_invalid\""))

        let login = try LoginProcess(connection: harness.files.connection, environment: harness.environment)
        let url = try login.authorizationURL()
        #expect(url.contains("code_challenge_method=S256") && url.contains("state=") && url.contains("code_challenge="))
        let callback = try Self.followLikeABrowser(url)
        #expect(callback.status == 200)
        #expect(callback.bodyText.contains("received the authorization"))
        let outcome = login.finish()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains(harness.files.refreshTokenFile.path))
        let stored = try String(contentsOf: harness.files.refreshTokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(stored.hasPrefix("rt_") && stored != "rt_stale_unknown_to_the_provider")
        // The token was never printed.
        #expect(!outcome.stdout.contains(stored) && !outcome.stderr.contains(stored))
        let attributes = try FileManager.default.attributesOfItem(atPath: harness.files.refreshTokenFile.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let after = try harness.diagnose(["--no-bundle", "--format", "json"])
        #expect(after.status == 0, "\(after.stdout)")
    }

    @Test func loginRefusesAWrongState() throws {
        let port = try Self.freePort()
        let credentials = SimulatorCredentials(redirectURI: "http://127.0.0.1:\(port)/callback")
        let harness = try SimulatorHarness(scenario: Scenario.named("healthy")!, credentials: credentials, methods: [.oauth2AuthorizationCode])
        let original = try String(contentsOf: harness.files.refreshTokenFile, encoding: .utf8)
        let login = try LoginProcess(connection: harness.files.connection, environment: harness.environment)
        let url = try login.authorizationURL()
        _ = try Self.followLikeABrowser(url) { location in
            location.replacingOccurrences(of: #"state=[^&]*"#, with: "state=forged-by-someone-else", options: .regularExpression)
        }
        let outcome = login.finish()
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("state"))
        #expect(try String(contentsOf: harness.files.refreshTokenFile, encoding: .utf8) == original, "nothing may be stored")
    }

    @Test func loginReportsAnErrorReturnedToTheRedirect() throws {
        let port = try Self.freePort()
        let credentials = SimulatorCredentials(redirectURI: "http://127.0.0.1:\(port)/callback")
        let harness = try SimulatorHarness(scenario: Scenario.named("healthy")!, credentials: credentials, methods: [.oauth2AuthorizationCode])
        let login = try LoginProcess(connection: harness.files.connection, environment: harness.environment)
        let url = try login.authorizationURL()
        let state = URLComponents(string: url)?.queryItems?.first { $0.name == "state" }?.value ?? ""
        // The user clicked "Deny": the provider sends the browser back with error=access_denied.
        let denied = CurlTransport.performBlocking(
            HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/callback?error=access_denied&error_description=The+user+denied+access&state=\(state)"),
            options: TransportOptions(timeout: 10))
        #expect(denied.status == 200)
        let outcome = login.finish()
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("access_denied") || outcome.stderr.contains("insufficient_permissions"), "\(outcome.stderr)")
    }

    @Test func rotatedRefreshTokenIsSavedAndTheNextRunWorks() throws {
        let harness = try SimulatorHarness(scenario: Scenario.named("rotate-refresh-tokens")!, methods: [.oauth2AuthorizationCode])
        let first = try String(contentsOf: harness.files.refreshTokenFile, encoding: .utf8)
        let run1 = try harness.diagnose(["--no-bundle", "--format", "json"])
        #expect(run1.status == 0, "\(run1.stdout)")
        let second = try String(contentsOf: harness.files.refreshTokenFile, encoding: .utf8)
        #expect(second != first, "the rotated token was not written back")
        #expect(run1.stderr.contains("rotated the refresh token"))
        #expect(!run1.stderr.contains(second.trimmingCharacters(in: .whitespacesAndNewlines)))
        // The provider forgot the first token: only the saved one can work now.
        let run2 = try harness.diagnose(["--no-bundle", "--format", "json"])
        #expect(run2.status == 0, "\(run2.stdout)")
        #expect(try String(contentsOf: harness.files.refreshTokenFile, encoding: .utf8) != second)
    }

    @Test func rotatedTokenFromTheEnvironmentGoesToTheStateFolder() throws {
        let harness = try SimulatorHarness(scenario: Scenario.named("rotate-refresh-tokens")!, methods: [.oauth2AuthorizationCode])
        let yaml = try String(contentsOf: harness.files.connection, encoding: .utf8)
            .replacingOccurrences(of: "${file:secrets/refresh_token}", with: "${env:DEMO_REFRESH_TOKEN}")
        try Data(yaml.utf8).write(to: harness.files.connection)
        var environment = harness.environment
        environment["DEMO_REFRESH_TOKEN"] = harness.simulator.credentials.refreshToken
        let result = try CommandRunner.run(["diagnose", harness.files.connection.path, "--no-bundle"], environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let saved = harness.home.appendingPathComponent("state/hubdoctor/tokens/demo-rotate-refresh-tokens-oauth2_authorization_code.refresh_token")
        let token = try String(contentsOf: saved, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("rt_"))
        #expect(result.stderr.contains(saved.path))
        #expect(!result.stdout.contains(token) && !result.stderr.contains(token))
    }

    // MARK: - Redirects

    @Test func credentialsNeverCrossToAnotherOrigin() throws {
        final class Seen: @unchecked Sendable {
            let lock = NSLock()
            var headers: [[HTTPHeader]] = []
            func add(_ value: [HTTPHeader]) { lock.lock(); headers.append(value); lock.unlock() }
        }
        let seenByOther = Seen()
        let other = try LoopbackServer { request in
            seenByOther.add(request.headers)
            return .json(200, ["ok": true])
        }
        let seenByOrigin = Seen()
        let origin = try LoopbackServer { request in
            seenByOrigin.add(request.headers)
            switch request.path {
            case "/same": return .redirect("/landing")
            case "/elsewhere": return .redirect("http://127.0.0.1:\(other.port)/landing")
            default: return .json(200, ["ok": true])
            }
        }
        defer { origin.stop(); other.stop() }
        let headers = [HTTPHeader("Authorization", "Bearer secret-token-123"), HTTPHeader("X-Service-User-Token", "sut-456"), HTTPHeader("Accept", "application/json")]
        let away = CurlTransport.performBlocking(
            HTTPRequest(method: "GET", url: "http://127.0.0.1:\(origin.port)/elsewhere", headers: headers, credentialHeaders: ["x-service-user-token"]),
            options: TransportOptions(timeout: 10))
        #expect(away.status == 200)
        #expect(away.redirects.count == 1 && away.redirects[0].credentialsDropped)
        let received = try #require(seenByOther.headers.first)
        #expect(received.value("Authorization") == nil)
        #expect(received.value("X-Service-User-Token") == nil)
        #expect(received.value("Accept") == "application/json")

        let same = CurlTransport.performBlocking(
            HTTPRequest(method: "GET", url: "http://127.0.0.1:\(origin.port)/same", headers: headers, credentialHeaders: ["x-service-user-token"]),
            options: TransportOptions(timeout: 10))
        #expect(same.status == 200)
        #expect(same.redirects.count == 1 && !same.redirects[0].credentialsDropped)
        // The second hop to the same origin still carries the credential.
        #expect(seenByOrigin.headers.last?.value("Authorization") == "Bearer secret-token-123")
    }

    @Test func diagnoseNeverSendsTheKeyToAnotherHost() throws {
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var authorized = 0
            func note(_ request: ServerRequest) {
                lock.lock()
                if request.header("Authorization") != nil || request.header("X-Service-User-Token") != nil { authorized += 1 }
                lock.unlock()
            }
        }
        let count = Count()
        let other = try LoopbackServer { request in
            count.note(request)
            return .json(401, ["error": "unauthorized"])
        }
        let origin = try LoopbackServer { _ in .redirect("http://localhost:\(other.port)/api/v1/employees", status: 307) }
        defer { origin.stop(); other.stop() }
        let directory = try Fixtures.temporaryDirectory("hubdoctor-redirect")
        let yaml = """
            name: redirected
            base_url: http://127.0.0.1:\(origin.port)
            probe: {path: /api/v1/employees}
            auth:
              - type: api_key
                key: ${env:KEY}
              - type: service_user
                headers:
                  X-Service-User-ID: ${env:SU_ID}
                  X-Service-User-Token: ${env:SU_TOKEN}
            """
        try Data(yaml.utf8).write(to: directory.appendingPathComponent("c.yaml"))
        let result = try CommandRunner.run(
            ["diagnose", directory.appendingPathComponent("c.yaml").path, "--no-bundle", "--verbose"],
            environment: ["KEY": "k_live_abcdefghijkl", "SU_ID": "su-1", "SU_TOKEN": "sut_abcdefghijkl"])
        #expect(result.status == 1)
        #expect(count.authorized == 0, "a credential reached the other host")
        #expect(result.stdout.contains("credentials not sent to the new host"))
    }
}
