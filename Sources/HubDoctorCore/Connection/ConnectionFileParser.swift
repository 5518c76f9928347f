import Foundation

/// Where `${env:...}` and `${file:...}` are resolved.
public struct SecretEnvironment: Sendable {
    public var variables: [String: String]
    /// Resolve nothing: every reference becomes a placeholder (for checking templates).
    public var placeholdersOnly: Bool
    /// The folder relative `${file:...}` paths start from.
    public var baseDirectory: String?

    public init(variables: [String: String], placeholdersOnly: Bool = false, baseDirectory: String? = nil) {
        self.variables = variables
        self.placeholdersOnly = placeholdersOnly
        self.baseDirectory = baseDirectory
    }

    public static var process: SecretEnvironment { SecretEnvironment(variables: ProcessInfo.processInfo.environment) }
    public static let placeholders = SecretEnvironment(variables: [:], placeholdersOnly: true)

    /// Expands `~` and makes a relative path relative to the connection file's folder.
    public func expand(_ path: String) -> String {
        var expanded = path
        if expanded == "~" || expanded.hasPrefix("~/") {
            let home = variables["HOME"] ?? NSHomeDirectory()
            expanded = home + expanded.dropFirst()
        }
        if !expanded.hasPrefix("/"), let baseDirectory { expanded = baseDirectory + "/" + expanded }
        return expanded
    }
}

/// Reads a connection file (the contract's YAML) into a `Connection`, naming file, line and
/// field for every mistake.
public struct ConnectionFileParser {
    public let file: String
    public let environment: SecretEnvironment
    private(set) var warnings: [String] = []

    public init(file: String, environment: SecretEnvironment) {
        self.file = file
        self.environment = environment
    }

    static let topKeys = ["name", "base_url", "provider", "probe", "required_scopes", "tls", "auth"]
    static let probeKeys = ["method", "path", "admin_path"]
    static let commonAuthKeys = ["type", "id", "probe"]
    static let authKeys: [AuthType: [String]] = [
        .apiKey: ["key", "header", "scheme"],
        .basic: ["username", "password"],
        .serviceUser: ["headers"],
        .oauth2ClientCredentials: ["token_url", "client_id", "client_secret", "scopes", "client_auth"],
        .oauth2AuthorizationCode: [
            "authorize_url", "token_url", "client_id", "client_secret", "redirect_uri", "scopes", "refresh_token", "client_auth",
        ],
    ]

    /// Loads a file from disk: missing or unreadable is exit 66, anything wrong inside is exit 65.
    public static func load(path: String, environment: SecretEnvironment = .process) throws -> Connection {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw HubDoctorError(
                .noInput,
                exists
                    ? "Cannot read the connection file \(path): check its permissions."
                    : "The connection file \(path) does not exist. Create one with `hubdoctor init --output \(path)`.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HubDoctorError.data(path, line: nil, "the connection file is not UTF-8 text.")
        }
        var env = environment
        if env.baseDirectory == nil { env.baseDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path }
        var parser = ConnectionFileParser(file: path, environment: env)
        return try parser.parse(text)
    }

    public mutating func parse(_ text: String) throws -> Connection {
        guard let root = try YAMLNode.parse(text, file: file) else {
            throw HubDoctorError.data(file, line: 1, "the connection file is empty; start from `hubdoctor init`.")
        }
        try root.requireKnownKeys(Self.topKeys)
        let name = try required(root, "name").nonEmptyString()
        let baseNode = try required(root, "base_url")
        let baseURL = try url(baseNode)
        let probe = try parseProbe(try required(root, "probe"))
        let requiredScopes = try root["required_scopes"]?.stringList() ?? []
        var tls = TLSSettings()
        if let tlsNode = root["tls"] {
            try tlsNode.requireKnownKeys(["ca_file"])
            if let ca = tlsNode["ca_file"] {
                let path = environment.expand(try ca.nonEmptyString())
                if !environment.placeholdersOnly, !FileManager.default.isReadableFile(atPath: path) {
                    throw ca.error("the CA file \(path) does not exist or cannot be read.")
                }
                tls.caFile = path
            }
        }
        let authNode = try required(root, "auth")
        let items = try authNode.sequenceItems()
        if items.isEmpty { throw authNode.error("'auth' lists no methods; add at least one (see `hubdoctor init`).") }
        var methods: [AuthMethod] = []
        for item in items {
            let method = try parseMethod(item)
            if methods.contains(where: { $0.id == method.id }) {
                throw (item["id"] ?? item).error(
                    "two methods have the id '\(method.id)'; give each an 'id:' of its own (they default to their type).")
            }
            methods.append(method)
        }
        let provider = try root["provider"]?.nonEmptyString()
        return Connection(
            name: name, baseURL: baseURL, provider: provider, probe: probe, requiredScopes: requiredScopes, tls: tls,
            methods: methods, file: file, warnings: warnings)
    }

    private func required(_ node: YAMLNode, _ key: String, why: String = "") throws -> YAMLNode {
        guard let value = node[key], !value.isNull else {
            let place = node.field.isEmpty ? "" : " in '\(node.field)'"
            throw node.error("missing required field '\(key)'\(place)\(why).")
        }
        return value
    }

    private func url(_ node: YAMLNode) throws -> String {
        let text = try node.nonEmptyString()
        if environment.placeholdersOnly, text.contains("{") { return text }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
        else {
            let hint = text.contains("://") ? "" : " (add the scheme: https://\(text))"
            throw node.error("'\(node.field)' must be an absolute http(s) URL, not '\(text)'\(hint).")
        }
        return text
    }

    private func parseProbe(_ node: YAMLNode) throws -> ProbeSpec {
        try node.requireKnownKeys(Self.probeKeys)
        let method = try node["method"]?.nonEmptyString().uppercased() ?? "GET"
        guard ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(method) else {
            throw node["method"]!.error("'\(method)' is not an HTTP method.")
        }
        let pathNode = try required(node, "path")
        let path = try pathNode.nonEmptyString()
        guard path.hasPrefix("/") else { throw pathNode.error("'\(pathNode.field)' must start with '/' (it is appended to base_url).") }
        var admin: String?
        if let adminNode = node["admin_path"] {
            admin = try adminNode.nonEmptyString()
            guard admin!.hasPrefix("/") else { throw adminNode.error("'\(adminNode.field)' must start with '/'.") }
        }
        return ProbeSpec(method: method, path: path, adminPath: admin)
    }

    private mutating func parseMethod(_ node: YAMLNode) throws -> AuthMethod {
        guard node.isMapping else { throw node.error("each item of 'auth' must be a mapping with a 'type'.") }
        let typeNode = try required(node, "type")
        let typeName = try typeNode.nonEmptyString()
        guard let type = AuthType(rawValue: typeName) else {
            let names = AuthType.allCases.map(\.rawValue)
            let suggestion = Spelling.suggestion(for: typeName, in: names)
            throw typeNode.error("'\(typeNode.field)' names an unknown auth type '\(typeName)'; use one of \(names.joined(separator: ", ")).\(suggestion)")
        }
        try node.requireKnownKeys(Self.commonAuthKeys + Self.authKeys[type]!)
        let id = try node["id"]?.nonEmptyString() ?? type.rawValue
        let probe = try node["probe"].map(parseProbe)
        let settings: AuthMethod.Settings
        switch type {
        case .apiKey:
            let header = try node["header"]?.nonEmptyString() ?? "Authorization"
            let defaultScheme = header.lowercased() == "authorization" ? "Bearer" : ""
            let scheme = try node["scheme"].map { try $0.string() } ?? defaultScheme
            settings = .apiKey(key: try secret(try required(node, "key")), header: header, scheme: scheme)
        case .basic:
            settings = .basic(
                username: try secret(try required(node, "username"), isSecret: false),
                password: try secret(try required(node, "password"), allowEmpty: true))
        case .serviceUser:
            let headersNode = try required(node, "headers")
            let headers = try headersNode.mappingEntries().map { (name: $0.key, value: try secret($0.value)) }
            if headers.isEmpty { throw headersNode.error("'headers' must name at least one header.") }
            settings = .serviceUser(headers: headers)
        case .oauth2ClientCredentials:
            settings = .clientCredentials(try client(node, secretRequired: true))
        case .oauth2AuthorizationCode:
            let authorize = try url(try required(node, "authorize_url"))
            let redirect = try url(try required(node, "redirect_uri", why: " (the URI registered for the client, e.g. http://127.0.0.1:8765/callback)"))
            let refresh = try node["refresh_token"].map { try secret($0) }
            settings = .authorizationCode(try client(node, secretRequired: false), authorizeURL: authorize, redirectURI: redirect, refreshToken: refresh)
        }
        return AuthMethod(id: id, type: type, probe: probe, settings: settings, location: node.location)
    }

    private mutating func client(_ node: YAMLNode, secretRequired: Bool) throws -> AuthMethod.OAuthClient {
        let tokenURL = try url(try required(node, "token_url", why: " (the provider's OAuth token endpoint)"))
        let clientID = try required(node, "client_id").nonEmptyString()
        let secretNode = secretRequired ? try required(node, "client_secret") : node["client_secret"]
        let clientSecret = try secretNode.map { try secret($0) }
        let scopes = try node["scopes"]?.stringList() ?? []
        var clientAuth = AuthMethod.ClientAuth.basic
        if let authNode = node["client_auth"] {
            let name = try authNode.nonEmptyString()
            guard let value = AuthMethod.ClientAuth(rawValue: name) ?? AuthMethod.ClientAuth.allCases.first(where: { $0.metadataName == name }) else {
                throw authNode.error("client_auth must be 'basic' (client_secret_basic) or 'post' (client_secret_post), not '\(name)'.")
            }
            clientAuth = value
        }
        return AuthMethod.OAuthClient(tokenURL: tokenURL, clientID: clientID, clientSecret: clientSecret, scopes: scopes, clientAuth: clientAuth)
    }

    /// Resolves `${env:NAME}`, `${file:PATH}` or a literal (with a warning when it is a secret).
    private mutating func secret(_ node: YAMLNode, isSecret: Bool = true, allowEmpty: Bool = false) throws -> Secret {
        let text = try node.string()
        // Some vendors (Greenhouse, BambooHR) take an API key as the user name and a blank password.
        if allowEmpty, text.isEmpty { return Secret(origin: .literal, value: "") }
        if let reference = SecretReference(text) {
            if environment.placeholdersOnly { return Secret(origin: .placeholder(text), value: "") }
            switch reference {
            case .environment(let name):
                guard let value = environment.variables[name] else {
                    throw node.error("'\(node.field)' reads the environment variable \(name), which is not set; export it (export \(name)=...) or change the reference.")
                }
                if value.isEmpty { throw node.error("the environment variable \(name) for '\(node.field)' is empty.") }
                return Secret(origin: .environment(name), value: value)
            case .file(let rawPath):
                let path = environment.expand(rawPath)
                guard let data = FileManager.default.contents(atPath: path), let contents = String(data: data, encoding: .utf8) else {
                    throw node.error("'\(node.field)' reads the file \(path), which does not exist or cannot be read.")
                }
                if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                    let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0, isSecret
                {
                    warnings.append(
                        "\(node.location.prefix)the secret file \(path) is readable by others (mode \(String(mode & 0o777, radix: 8))); run `chmod 600 \(path)`.")
                }
                let value = contents.trimmingCharacters(in: .whitespacesAndNewlines)
                if value.isEmpty, isSecret { throw node.error("the secret file \(path) for '\(node.field)' is empty.") }
                return Secret(origin: .file(path: path), value: value)
            }
        }
        if text.contains("${") {
            throw node.error("'\(node.field)' has a reference hubdoctor cannot read: write the whole value as ${env:NAME} or ${file:PATH}.")
        }
        // "x" and the like are the conventional non-secret passwords of key-as-user-name vendors (BambooHR).
        if isSecret, !environment.placeholdersOnly, text.count > 2 {
            warnings.append("\(node.location.prefix)'\(node.field)' holds a literal secret; move it to ${env:NAME} or ${file:PATH} so it stays out of files people share.")
        }
        if isSecret, text.isEmpty { throw node.error("'\(node.field)' is empty.") }
        return Secret(origin: .literal, value: text)
    }
}

/// `${env:NAME}` or `${file:PATH}`.
enum SecretReference: Equatable {
    case environment(String)
    case file(String)

    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("${"), trimmed.hasSuffix("}") else { return nil }
        let inner = trimmed.dropFirst(2).dropLast()
        if inner.hasPrefix("env:"), !inner.dropFirst(4).isEmpty {
            self = .environment(String(inner.dropFirst(4)))
        } else if inner.hasPrefix("file:"), !inner.dropFirst(5).isEmpty {
            self = .file(String(inner.dropFirst(5)))
        } else {
            return nil
        }
    }
}
