import Foundation
import HubDoctorCore
import HubDoctorTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The connection file of the contract: typed values, references, warnings, and a located
/// `file:line:` message with exit 65 for every mistake (66 when the file is missing).
@Suite struct ConnectionFileTests {
    /// A folder holding a copy of a fixture plus the secret files it points at.
    struct Workspace {
        let directory: URL
        let home: URL

        init() throws {
            directory = try Fixtures.temporaryDirectory("hubdoctor-connection")
            home = directory.appendingPathComponent("home", isDirectory: true)
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        }

        func copy(_ fixture: String) throws -> URL {
            let target = directory.appendingPathComponent(URL(fileURLWithPath: fixture).lastPathComponent)
            try FileManager.default.copyItem(at: Fixtures.url("connections/\(fixture)"), to: target)
            return target
        }

        @discardableResult
        func write(_ text: String, to relative: String, base: URL? = nil, mode: Int = 0o600) throws -> URL {
            let url = (base ?? directory).appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            #expect(chmod(url.path, mode_t(mode)) == 0, "chmod \(String(mode, radix: 8)) \(url.path) failed")
            return url
        }
    }

    static let variables = [
        "ACME_API_KEY": "ak_live_5f1c0e9b2d7a4c3e",
        "ACME_PASSWORD": "correct horse battery staple",
        "ACME_SU_ID": "su-1234-5678",
        "ACME_SU_TOKEN": "sut_9a8b7c6d5e4f3a2b",
        "ACME_CLIENT_SECRET": "cs_7d3f9e1a2b4c6d8e",
    ]

    /// Parses YAML text given inline, as the file `inline.yaml`.
    static func parse(_ text: String, variables: [String: String] = variables, baseDirectory: String? = nil) throws -> Connection {
        var parser = ConnectionFileParser(file: "inline.yaml", environment: SecretEnvironment(variables: variables, baseDirectory: baseDirectory))
        return try parser.parse(text)
    }

    /// A minimal valid file with the given auth entries (indented as list items under `auth:`).
    static func file(auth: String) -> String {
        """
        name: acme
        base_url: https://api.example.com
        probe:
          path: /v1/me
        auth:
        \(auth)
        """
    }

    // MARK: - A valid file

    @Test func everyAuthTypeLoadsIntoTypedValues() throws {
        let workspace = try Workspace()
        let path = try workspace.copy("all-methods.yaml")
        let clientSecretFile = try workspace.write("cs-from-a-file-0123456789\n", to: "client-secret.txt")
        let refreshFile = try workspace.write("rt_1a2b3c4d5e6f7a8b9c0d", to: ".config/acme/refresh_token", base: workspace.home)
        var variables = Self.variables
        variables["HOME"] = workspace.home.path

        let connection = try ConnectionFileParser.load(path: path.path, environment: SecretEnvironment(variables: variables))

        #expect(connection.name == "acme-hris")
        #expect(connection.baseURL == "https://api.example.com")
        #expect(connection.provider == "bamboohr")
        #expect(connection.file == path.path)
        // `method: get` is normalised to upper case.
        #expect(connection.probe == ProbeSpec(method: "GET", path: "/api/v1/employees", adminPath: "/api/v1/admin/settings"))
        #expect(connection.requiredScopes == ["read:employees", "read:departments"])
        #expect(connection.tls.caFile == nil)
        #expect(connection.warnings == [], "references and 0600 files draw no warning")

        #expect(connection.methods.map(\.id) == [
            "api_key", "custom-header-key", "basic", "service_user", "oauth2_client_credentials", "oauth2_authorization_code",
        ])
        #expect(connection.methods.map(\.type) == [.apiKey, .apiKey, .basic, .serviceUser, .oauth2ClientCredentials, .oauth2AuthorizationCode])

        // api_key without header or scheme: Authorization + Bearer.
        guard case .apiKey(let key, let header, let scheme) = connection.methods[0].settings else {
            Issue.record("methods[0] is not an api_key: \(connection.methods[0].settings)")
            return
        }
        #expect(key == Secret(origin: .environment("ACME_API_KEY"), value: "ak_live_5f1c0e9b2d7a4c3e"))
        #expect(header == "Authorization")
        #expect(scheme == "Bearer")

        // A custom header defaults to the bare key.
        guard case .apiKey(let customKey, let customHeader, let customScheme) = connection.methods[1].settings else {
            Issue.record("methods[1] is not an api_key")
            return
        }
        #expect(customKey.value == "ak_live_5f1c0e9b2d7a4c3e")
        #expect(customHeader == "X-API-Key")
        #expect(customScheme == "")

        guard case .basic(let username, let password) = connection.methods[2].settings else {
            Issue.record("methods[2] is not basic")
            return
        }
        #expect(username == Secret(origin: .literal, value: "ops@example.com"))
        #expect(password == Secret(origin: .environment("ACME_PASSWORD"), value: "correct horse battery staple"))

        guard case .serviceUser(let headers) = connection.methods[3].settings else {
            Issue.record("methods[3] is not service_user")
            return
        }
        #expect(headers.map(\.name) == ["X-Service-User-ID", "X-Service-User-Token"])
        #expect(headers.map(\.value) == [
            Secret(origin: .environment("ACME_SU_ID"), value: "su-1234-5678"),
            Secret(origin: .environment("ACME_SU_TOKEN"), value: "sut_9a8b7c6d5e4f3a2b"),
        ])

        guard case .clientCredentials(let client) = connection.methods[4].settings else {
            Issue.record("methods[4] is not oauth2_client_credentials")
            return
        }
        #expect(client.tokenURL == "https://accounts.example.com/oauth/token")
        #expect(client.clientID == "my-client")
        // The relative path resolves against the connection file's folder; the newline is trimmed.
        #expect(client.clientSecret == Secret(origin: .file(path: clientSecretFile.path), value: "cs-from-a-file-0123456789"))
        #expect(client.scopes == ["read:employees"])
        // The metadata spelling `client_secret_post` is accepted for `post`.
        #expect(client.clientAuth == .post)

        guard case .authorizationCode(let codeClient, let authorizeURL, let redirectURI, let refreshToken) = connection.methods[5].settings else {
            Issue.record("methods[5] is not oauth2_authorization_code")
            return
        }
        #expect(authorizeURL == "https://accounts.example.com/oauth/authorize")
        #expect(redirectURI == "http://127.0.0.1:8765/callback")
        #expect(codeClient.clientSecret == Secret(origin: .environment("ACME_CLIENT_SECRET"), value: "cs_7d3f9e1a2b4c6d8e"))
        #expect(codeClient.scopes == ["read:employees", "offline_access"])
        #expect(codeClient.clientAuth == .basic, "client_auth defaults to basic")
        // `~` is the HOME of the secret environment.
        #expect(refreshToken == Secret(origin: .file(path: refreshFile.path), value: "rt_1a2b3c4d5e6f7a8b9c0d"))

        // Per-method probe overrides; the others use the connection's probe.
        #expect(connection.methods[3].probe == ProbeSpec(method: "GET", path: "/api/v1/service/employees"))
        #expect(connection.methods[5].probe == ProbeSpec(method: "POST", path: "/oauth/v2/employees/search"))
        for index in [0, 1, 2, 4] { #expect(connection.methods[index].probe == nil, "methods[\(index)] has no probe of its own") }

        // The redactor starts from every resolved secret.
        let secrets = Set(connection.secrets.map(\.value))
        for value in ["ak_live_5f1c0e9b2d7a4c3e", "correct horse battery staple", "sut_9a8b7c6d5e4f3a2b", "cs-from-a-file-0123456789", "rt_1a2b3c4d5e6f7a8b9c0d"] {
            #expect(secrets.contains(value), "\(value) is not among the connection's secrets")
        }
    }

    struct HeaderDefault: CustomTestStringConvertible, Sendable {
        let lines: String
        let header: String
        let scheme: String
        var testDescription: String { lines.isEmpty ? "(no header, no scheme)" : lines.replacingOccurrences(of: "\n", with: "; ") }
    }

    @Test(arguments: [
        HeaderDefault(lines: "", header: "Authorization", scheme: "Bearer"),
        HeaderDefault(lines: "header: X-API-Key", header: "X-API-Key", scheme: ""),
        HeaderDefault(lines: "header: authorization", header: "authorization", scheme: "Bearer"),
        HeaderDefault(lines: "header: Authorization\nscheme: Token", header: "Authorization", scheme: "Token"),
        HeaderDefault(lines: "header: Authorization\nscheme: \"\"", header: "Authorization", scheme: ""),
        HeaderDefault(lines: "header: X-Api-Token\nscheme: Bearer", header: "X-Api-Token", scheme: "Bearer"),
    ])
    func apiKeyHeaderAndSchemeDefaults(_ testCase: HeaderDefault) throws {
        let extra = testCase.lines.split(separator: "\n").map { "    \($0)\n" }.joined()
        let connection = try Self.parse(Self.file(auth: "  - type: api_key\n    key: ${env:ACME_API_KEY}\n" + extra))
        let method = try #require(connection.methods.first)
        guard case .apiKey(_, let header, let scheme) = method.settings else {
            Issue.record("not an api_key method")
            return
        }
        #expect(header == testCase.header)
        #expect(scheme == testCase.scheme)
    }

    // MARK: - References

    @Test func environmentReferenceResolvesFromTheGivenVariables() throws {
        let auth = "  - type: api_key\n    key: ${env:SOME_KEY}\n"
        let connection = try Self.parse(Self.file(auth: auth), variables: ["SOME_KEY": "k_0123456789abcdef"])
        guard case .apiKey(let key, _, _) = try #require(connection.methods.first).settings else {
            Issue.record("not an api_key method")
            return
        }
        #expect(key == Secret(origin: .environment("SOME_KEY"), value: "k_0123456789abcdef"))
        #expect(key.place == "env SOME_KEY")

        // The same file against another environment gives another value: nothing is cached or hard-wired.
        let other = try Self.parse(Self.file(auth: auth), variables: ["SOME_KEY": "k_fedcba9876543210"])
        #expect(other.secrets.map(\.value) == ["k_fedcba9876543210"])
    }

    @Test func emptyEnvironmentVariableIsAnError() throws {
        let error = try #require(throws: HubDoctorError.self) {
            try Self.parse(Self.file(auth: "  - type: api_key\n    key: ${env:SOME_KEY}\n"), variables: ["SOME_KEY": ""])
        }
        #expect(error.kind == .dataError)
        #expect(error.location == SourceLocation(file: "inline.yaml", line: 7))
        #expect(error.message.contains("SOME_KEY") && error.message.contains("'auth[0].key'") && error.message.contains("empty"))
    }

    @Test(arguments: ["prefix-${env:ACME_API_KEY}", "${env:}", "${vault:acme/key}", "${env:ACME_API_KEY"])
    func unreadableReferenceIsAnError(_ value: String) throws {
        let error = try #require(throws: HubDoctorError.self) {
            try Self.parse(Self.file(auth: "  - type: api_key\n    key: '\(value)'\n"))
        }
        #expect(error.kind == .dataError)
        #expect(error.location?.line == 7)
        #expect(error.message.contains("'auth[0].key'"))
        #expect(error.message.contains("${env:NAME} or ${file:PATH}"))
    }

    @Test func relativeFileReferenceResolvesAgainstTheConnectionFilesFolder() throws {
        let workspace = try Workspace()
        let folder = workspace.directory.appendingPathComponent("configs", isDirectory: true)
        let secret = try workspace.write("relative-secret-value-42\n", to: "secrets/api-key", base: folder)
        try workspace.write(Self.file(auth: "  - type: api_key\n    key: ${file:secrets/api-key}\n"), to: "conn.yaml", base: folder)
        // The process's working directory is not the connection file's folder; the reference still resolves.
        #expect(FileManager.default.currentDirectoryPath != folder.path)
        let connection = try ConnectionFileParser.load(
            path: folder.appendingPathComponent("conn.yaml").path, environment: SecretEnvironment(variables: [:]))
        guard case .apiKey(let key, _, _) = try #require(connection.methods.first).settings else {
            Issue.record("not an api_key method")
            return
        }
        #expect(key == Secret(origin: .file(path: secret.path), value: "relative-secret-value-42"))
    }

    @Test func absoluteAndHomeFileReferencesResolve() throws {
        let workspace = try Workspace()
        let absolute = try workspace.write("absolute-secret-value", to: "elsewhere/secret")
        let inHome = try workspace.write("home-secret-value", to: ".acme/token", base: workspace.home)
        let auth = """
              - type: basic
                username: ${file:\(absolute.path)}
                password: ${file:~/.acme/token}
            """
        let connection = try Self.parse(
            Self.file(auth: auth), variables: ["HOME": workspace.home.path], baseDirectory: "/nonexistent-base")
        guard case .basic(let username, let password) = try #require(connection.methods.first).settings else {
            Issue.record("not a basic method")
            return
        }
        #expect(username == Secret(origin: .file(path: absolute.path), value: "absolute-secret-value"))
        #expect(password == Secret(origin: .file(path: inHome.path), value: "home-secret-value"))
    }

    @Test func missingSecretFileNamesFieldAndPath() throws {
        let workspace = try Workspace()
        let error = try #require(throws: HubDoctorError.self) {
            try Self.parse(
                Self.file(auth: "  - type: api_key\n    key: ${file:no-such-secret}\n"), baseDirectory: workspace.directory.path)
        }
        #expect(error.kind == .dataError)
        #expect(error.location?.line == 7)
        #expect(error.message.contains("'auth[0].key'"))
        #expect(error.message.contains(workspace.directory.appendingPathComponent("no-such-secret").path))
    }

    @Test func expandHandlesHomeAndRelativePaths() {
        let environment = SecretEnvironment(variables: ["HOME": "/home/ops"], baseDirectory: "/etc/hubdoctor")
        #expect(environment.expand("~") == "/home/ops")
        #expect(environment.expand("~/.config/acme/secret") == "/home/ops/.config/acme/secret")
        #expect(environment.expand("secrets/key") == "/etc/hubdoctor/secrets/key")
        #expect(environment.expand("/var/lib/key") == "/var/lib/key")
        let noBase = SecretEnvironment(variables: ["HOME": "/root"])
        #expect(noBase.expand("secrets/key") == "secrets/key")
    }

    @Test func placeholdersResolveNothing() throws {
        var parser = ConnectionFileParser(file: "template.yaml", environment: .placeholders)
        let connection = try parser.parse(Self.file(auth: "  - type: api_key\n    key: ${env:NOT_SET_ANYWHERE}\n"))
        guard case .apiKey(let key, _, _) = try #require(connection.methods.first).settings else {
            Issue.record("not an api_key method")
            return
        }
        #expect(key == Secret(origin: .placeholder("${env:NOT_SET_ANYWHERE}"), value: ""))
        #expect(connection.warnings == [])
    }

    // MARK: - Mistakes: file, line, field, exit 65

    struct Broken: CustomTestStringConvertible, Sendable {
        let file: String
        let line: Int
        /// Every fragment must appear in the message (the field, the value, the hint).
        let says: [String]
        var testDescription: String { file }
    }

    static let broken: [Broken] = [
        Broken(file: "unknown-auth-type.yaml", line: 8, says: [
            "unknown auth type 'oauth2_client_credential'", "Did you mean 'oauth2_client_credentials'?",
        ]),
        Broken(file: "missing-token-url.yaml", line: 6, says: ["missing required field 'token_url'", "'auth[0]'"]),
        Broken(file: "scopes-as-string.yaml", line: 10, says: ["'auth[0].scopes' must be a list", "read:employees write:employees"]),
        Broken(file: "unset-environment-variable.yaml", line: 8, says: [
            "'auth[0].password'", "ACME_PASSWORD_NOT_EXPORTED", "not set",
        ]),
        Broken(file: "base-url-without-scheme.yaml", line: 2, says: ["'base_url'", "api.example.com", "https://api.example.com"]),
        Broken(file: "unknown-top-level-key.yaml", line: 5, says: ["unknown key 'timeout'", "base_url"]),
        Broken(file: "unknown-auth-key.yaml", line: 9, says: [
            "unknown key 'client_secert'", "'auth[0]'", "Did you mean 'client_secret'?",
        ]),
        Broken(file: "duplicate-method-id.yaml", line: 10, says: ["the id 'primary'", "'id:'"]),
        Broken(file: "duplicate-default-id.yaml", line: 8, says: ["the id 'api_key'", "'id:'"]),
        Broken(file: "invalid-yaml.yaml", line: 10, says: ["invalid YAML"]),
    ]

    @Test(arguments: broken)
    func mistakeNamesFileLineAndField(_ testCase: Broken) throws {
        let path = Fixtures.url("connections/broken/\(testCase.file)").path
        let error = try #require(throws: HubDoctorError.self) {
            try ConnectionFileParser.load(path: path, environment: SecretEnvironment(variables: Self.variables))
        }
        #expect(error.kind == .dataError)
        #expect(error.exitCode == 65)
        #expect(error.location == SourceLocation(file: path, line: testCase.line), "\(error.message)")
        #expect(error.message.hasPrefix("\(path):\(testCase.line): "))
        for fragment in testCase.says {
            #expect(error.message.contains(fragment), "\"\(error.message)\" does not say \"\(fragment)\"")
        }
    }

    struct InlineBroken: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let line: Int?
        let says: [String]
        var testDescription: String { name }
    }

    @Test(arguments: [
        InlineBroken(name: "unknown key in a method's probe", text: file(auth: "  - type: api_key\n    key: ${env:ACME_API_KEY}\n    probe:\n      paht: /v2/me\n"), line: 9, says: ["unknown key 'paht'", "'auth[0].probe'", "Did you mean 'path'?"]),
        InlineBroken(name: "probe path without a slash", text: "name: a\nbase_url: https://api.example.com\nprobe:\n  path: v1/me\nauth:\n  - type: api_key\n    key: ${env:ACME_API_KEY}\n", line: 4, says: ["'probe.path'", "'/'"]),
        InlineBroken(name: "empty auth list", text: "name: a\nbase_url: https://api.example.com\nprobe:\n  path: /v1/me\nauth: []\n", line: 5, says: ["'auth' lists no methods"]),
        InlineBroken(name: "missing name", text: "base_url: https://api.example.com\nprobe:\n  path: /v1/me\nauth:\n  - type: api_key\n    key: ${env:ACME_API_KEY}\n", line: 1, says: ["missing required field 'name'"]),
        InlineBroken(name: "redirect_uri not a URL", text: file(auth: "  - type: oauth2_authorization_code\n    authorize_url: https://a.example.com/authorize\n    token_url: https://a.example.com/token\n    client_id: c\n    redirect_uri: 127.0.0.1:8765/callback\n"), line: 10, says: ["'auth[0].redirect_uri'", "absolute http(s) URL"]),
        InlineBroken(name: "client_auth misspelt", text: file(auth: "  - type: oauth2_client_credentials\n    token_url: https://a.example.com/token\n    client_id: c\n    client_secret: ${env:ACME_CLIENT_SECRET}\n    client_auth: header\n"), line: 10, says: ["client_auth", "'header'"]),
        InlineBroken(name: "a key appears twice", text: "name: a\nname: b\nbase_url: https://api.example.com\nprobe:\n  path: /v1/me\nauth:\n  - type: api_key\n    key: ${env:ACME_API_KEY}\n", line: nil, says: ["'name'", "twice"]),
        InlineBroken(name: "auth is a mapping", text: "name: a\nbase_url: https://api.example.com\nprobe:\n  path: /v1/me\nauth:\n  type: api_key\n", line: 6, says: ["'auth' must be a list"]),
    ])
    func otherMistakesAreLocated(_ testCase: InlineBroken) throws {
        let error = try #require(throws: HubDoctorError.self) { try Self.parse(testCase.text) }
        #expect(error.kind == .dataError)
        #expect(error.location?.file == "inline.yaml")
        if let line = testCase.line { #expect(error.location?.line == line, "\(error.message)") } else { #expect(error.location?.line != nil) }
        for fragment in testCase.says {
            #expect(error.message.contains(fragment), "\"\(error.message)\" does not say \"\(fragment)\"")
        }
    }

    @Test func missingConnectionFileIsNoInput() throws {
        let path = "/nonexistent-\(UUID().uuidString)/acme.yaml"
        let error = try #require(throws: HubDoctorError.self) { try ConnectionFileParser.load(path: path, environment: .placeholders) }
        #expect(error.kind == .noInput)
        #expect(error.exitCode == 66)
        #expect(error.message.contains(path))
        #expect(error.message.contains("hubdoctor init"))
    }

    @Test func aFolderInsteadOfAFileIsNoInput() throws {
        let folder = try Fixtures.temporaryDirectory("hubdoctor-connection")
        let error = try #require(throws: HubDoctorError.self) { try ConnectionFileParser.load(path: folder.path, environment: .placeholders) }
        #expect(error.kind == .noInput)
        #expect(error.message.contains(folder.path))
    }

    @Test func emptyOrNonUTF8FileIsADataError() throws {
        let workspace = try Workspace()
        let empty = try workspace.write("", to: "empty.yaml")
        let emptyError = try #require(throws: HubDoctorError.self) { try ConnectionFileParser.load(path: empty.path, environment: .placeholders) }
        #expect(emptyError.kind == .dataError)
        #expect(emptyError.message.hasPrefix("\(empty.path):"))
        let latin1 = workspace.directory.appendingPathComponent("latin1.yaml")
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0x6D, 0xFC, 0x6E, 0x63, 0x68, 0x65, 0x6E, 0x0A]).write(to: latin1)  // "name: m\u{FC}nchen" in Latin-1
        let latin1Error = try #require(throws: HubDoctorError.self) { try ConnectionFileParser.load(path: latin1.path, environment: .placeholders) }
        #expect(latin1Error.kind == .dataError)
        #expect(latin1Error.message.contains("UTF-8"))
    }

    // MARK: - Warnings

    @Test func literalSecretDrawsAWarningNamingTheField() throws {
        let literal = "sk_live_0123456789abcdef"
        let connection = try Self.parse(Self.file(auth: "  - type: api_key\n    key: \(literal)\n  - type: basic\n    username: ops@example.com\n    password: ${env:ACME_PASSWORD}\n"))
        guard case .apiKey(let key, _, _) = try #require(connection.methods.first).settings else {
            Issue.record("not an api_key method")
            return
        }
        #expect(key == Secret(origin: .literal, value: literal), "a literal secret still works")
        // One warning: the literal key. The literal user name is not a secret.
        #expect(connection.warnings.count == 1, "\(connection.warnings)")
        let warning = try #require(connection.warnings.first)
        #expect(warning.hasPrefix("inline.yaml:7: "))
        #expect(warning.contains("'auth[0].key'"))
        #expect(warning.contains("literal secret"))
        #expect(!warning.contains(literal), "the warning must not repeat the secret")
    }

    struct ModeCase: CustomTestStringConvertible, Sendable {
        let mode: Int
        let warns: Bool
        var testDescription: String { "mode \(String(mode, radix: 8))" }
    }

    @Test(arguments: [
        ModeCase(mode: 0o600, warns: false), ModeCase(mode: 0o400, warns: false), ModeCase(mode: 0o644, warns: true),
        ModeCase(mode: 0o640, warns: true), ModeCase(mode: 0o604, warns: true),
    ])
    func secretFileReadableByOthersDrawsAWarning(_ testCase: ModeCase) throws {
        let workspace = try Workspace()
        let secret = try workspace.write("file-secret-0123456789", to: "client-secret", mode: testCase.mode)
        let attributes = try FileManager.default.attributesOfItem(atPath: secret.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == testCase.mode, "the test could not set the mode")
        let connection = try Self.parse(
            Self.file(auth: "  - type: api_key\n    key: ${file:client-secret}\n"), baseDirectory: workspace.directory.path)
        if testCase.warns {
            #expect(connection.warnings.count == 1, "\(connection.warnings)")
            let warning = try #require(connection.warnings.first)
            #expect(warning.hasPrefix("inline.yaml:7: "))
            #expect(warning.contains(secret.path))
            #expect(warning.contains("chmod 600 \(secret.path)"))
            #expect(warning.contains(String(testCase.mode, radix: 8)))
        } else {
            #expect(connection.warnings == [])
        }
    }

    // MARK: - The binary: exit codes, and `hubdoctor init`

    @Test func diagnoseExits65OnABrokenFileAnd66OnAMissingOne() throws {
        let path = Fixtures.url("connections/broken/unknown-auth-type.yaml").path
        let broken = try CommandRunner.run(["diagnose", path, "--no-bundle"], environment: Self.variables)
        #expect(broken.status == 65)
        #expect(broken.stderr.contains("\(path):8: 'auth[1].type' names an unknown auth type"))
        #expect(broken.stdout.isEmpty)
        let missing = try CommandRunner.run(["diagnose", "/nonexistent-\(UUID().uuidString)/acme.yaml", "--no-bundle"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("does not exist"))
    }

    @Test func initWritesATemplateTheParserAccepts() throws {
        let folder = try Fixtures.temporaryDirectory("hubdoctor-init")
        let output = folder.appendingPathComponent("acme.yaml")
        let result = try CommandRunner.run(["init", "--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Wrote \(output.path)"))
        let connection = try ConnectionFileParser.load(path: output.path, environment: .placeholders)
        #expect(Set(connection.methods.map(\.type)) == Set(AuthType.allCases), "the template shows every auth type")
        #expect(connection.warnings == [])
        // With real resolution the template's references are unset: placeholders are what make it load.
        let unresolved = try #require(throws: HubDoctorError.self) {
            try ConnectionFileParser.load(path: output.path, environment: SecretEnvironment(variables: [:]))
        }
        #expect(unresolved.kind == .dataError)
        #expect(unresolved.message.contains("not set"))
    }

    @Test func initRefusesToOverwriteWithoutForce() throws {
        let folder = try Fixtures.temporaryDirectory("hubdoctor-init")
        let output = folder.appendingPathComponent("acme.yaml")
        let original = "name: keep-me\n"
        try Data(original.utf8).write(to: output)
        let refused = try CommandRunner.run(["init", "--output", output.path])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--force"))
        #expect(try String(contentsOf: output, encoding: .utf8) == original, "the existing file must be untouched")
        let forced = try CommandRunner.run(["init", "--output", output.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let replaced = try String(contentsOf: output, encoding: .utf8)
        #expect(replaced != original)
        #expect(try ConnectionFileParser.load(path: output.path, environment: .placeholders).methods.count >= 1)
    }

    @Test func initPrintsAProvidersTemplate() throws {
        let result = try CommandRunner.run(["init", "--provider", "bamboohr"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("provider: bamboohr"))
        var parser = ConnectionFileParser(file: "bamboohr-template.yaml", environment: .placeholders)
        let connection = try parser.parse(result.stdout)
        #expect(connection.provider == "bamboohr")
        #expect(connection.baseURL.hasSuffix(".bamboohr.com"))
        #expect(connection.methods.map(\.type).contains(.basic))
        // It is not the generic template.
        let generic = try CommandRunner.run(["init"])
        #expect(generic.status == 0)
        #expect(generic.stdout != result.stdout)
    }

    @Test func unknownProviderIsAUsageErrorWithASuggestion() throws {
        let misspelt = try CommandRunner.run(["init", "--provider", "bambohr"])
        #expect(misspelt.status == 64)
        #expect(misspelt.stderr.contains("'bambohr'"))
        #expect(misspelt.stderr.contains("Did you mean 'bamboohr'?"))
        #expect(misspelt.stdout.isEmpty)
        let unknown = try CommandRunner.run(["init", "--provider", "zzqqxx-unknown"])
        #expect(unknown.status == 64)
        #expect(!unknown.stderr.contains("Did you mean"))
        #expect(unknown.stderr.contains("bamboohr"), "the known providers are listed")
    }
}
