import Foundation

/// A parsed connection file: what to probe and every way to authenticate against it.
public struct Connection: Sendable {
    public var name: String
    public var baseURL: String
    /// The provider note this connection belongs to: set in the file, or inferred from the host.
    public var provider: String?
    public var probe: ProbeSpec
    public var requiredScopes: [String]
    public var tls: TLSSettings
    public var methods: [AuthMethod]
    /// The file it came from (for messages and for writing rotated tokens back).
    public var file: String
    /// Warnings found while loading (literal secrets, secret files readable by others).
    public var warnings: [String]

    public init(
        name: String, baseURL: String, provider: String? = nil, probe: ProbeSpec, requiredScopes: [String] = [],
        tls: TLSSettings = TLSSettings(), methods: [AuthMethod], file: String = "<memory>", warnings: [String] = []
    ) {
        self.name = name
        self.baseURL = baseURL
        self.provider = provider
        self.probe = probe
        self.requiredScopes = requiredScopes
        self.tls = tls
        self.methods = methods
        self.file = file
        self.warnings = warnings
    }

    /// Every secret value the file resolved, with its kind: the redactor starts from these.
    public var secrets: [(kind: String, value: String)] {
        methods.flatMap(\.secrets)
    }
}

/// The request every method is tried with (`probe:`).
public struct ProbeSpec: Sendable, Equatable, Codable {
    public var method: String
    public var path: String
    public var adminPath: String?

    public init(method: String = "GET", path: String, adminPath: String? = nil) {
        self.method = method
        self.path = path
        self.adminPath = adminPath
    }
}

public struct TLSSettings: Sendable, Equatable {
    /// Extra CA certificates to trust (never "skip verification").
    public var caFile: String?
    public init(caFile: String? = nil) { self.caFile = caFile }
}

/// Where a secret came from, so it can be shown masked and written back when rotated.
public struct Secret: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        case environment(String)
        case file(path: String)
        case literal
        /// A placeholder used when checking templates; there is no value.
        case placeholder(String)
    }

    public var origin: Origin
    public var value: String

    public init(origin: Origin, value: String) {
        self.origin = origin
        self.value = value
    }

    /// "env ACME_API_KEY, sk_live_••••4f2a": where it lives and just enough to recognise it.
    public var masked: String { "\(place), \(Secret.mask(value))" }

    /// Where the secret lives: `env NAME`, `file PATH`, `literal in the connection file`.
    public var place: String {
        switch origin {
        case .environment(let name): "env \(name)"
        case .file(let path): "file \(path)"
        case .literal: "literal in the connection file"
        case .placeholder(let text): text
        }
    }

    /// Keeps a short prefix (up to the first `_` for keys like `sk_live_`) and the last four characters.
    public static func mask(_ value: String) -> String {
        let characters = Array(value)
        guard characters.count >= 12 else { return "••••" }
        var prefixLength = 0
        if let underscore = characters.lastIndex(of: "_"), underscore < 9, underscore < characters.count - 8 {
            prefixLength = underscore + 1
        }
        return String(characters[..<prefixLength]) + "••••" + String(characters.suffix(4))
    }
}

/// One configured way to authenticate.
public struct AuthMethod: Sendable {
    public var id: String
    public var type: AuthType
    /// Overrides the connection's probe for this method.
    public var probe: ProbeSpec?
    public var settings: Settings
    public var location: SourceLocation

    public enum ClientAuth: String, Sendable, Codable, CaseIterable {
        /// client_secret_basic: the client id and secret in an HTTP Basic header.
        case basic
        /// client_secret_post: the client id and secret in the form body.
        case post

        public var metadataName: String { self == .basic ? "client_secret_basic" : "client_secret_post" }
    }

    public enum Settings: Sendable {
        case apiKey(key: Secret, header: String, scheme: String)
        case basic(username: Secret, password: Secret)
        case serviceUser(headers: [(name: String, value: Secret)])
        case clientCredentials(OAuthClient)
        case authorizationCode(OAuthClient, authorizeURL: String, redirectURI: String, refreshToken: Secret?)
    }

    public struct OAuthClient: Sendable {
        public var tokenURL: String
        public var clientID: String
        public var clientSecret: Secret?
        public var scopes: [String]
        public var clientAuth: ClientAuth
    }

    public var oauthClient: OAuthClient? {
        switch settings {
        case .clientCredentials(let client), .authorizationCode(let client, _, _, _): client
        default: nil
        }
    }

    /// The secrets of this method with the name of their kind, used by the redactor.
    public var secrets: [(kind: String, value: String)] {
        var result: [(String, String)] = []
        switch settings {
        case .apiKey(let key, _, _): result.append(("api_key", key.value))
        case .basic(let username, let password):
            result.append(("password", password.value))
            result.append(("username", username.value))
        case .serviceUser(let headers): result += headers.map { ("service_user", $0.value.value) }
        case .clientCredentials(let client):
            if let secret = client.clientSecret { result.append(("client_secret", secret.value)) }
        case .authorizationCode(let client, _, _, let refresh):
            if let secret = client.clientSecret { result.append(("client_secret", secret.value)) }
            if let refresh { result.append(("refresh_token", refresh.value)) }
        }
        return result.filter { !$0.1.isEmpty }
    }

    /// The credential a person would recognise in the report, masked.
    public var credentialSummary: String {
        switch settings {
        case .apiKey(let key, let header, let scheme):
            return "\(header)\(scheme.isEmpty ? "" : " " + scheme): \(key.masked)"
        case .basic(let username, let password):
            // A password is never partly shown: its last characters are part of what a person chose.
            return "Basic, password: \(password.place)\(username.value.contains("@") ? "" : ", user \(Secret.mask(username.value))")"
        case .serviceUser(let headers): return headers.map { "\($0.name): \($0.value.masked)" }.joined(separator: "; ")
        case .clientCredentials(let client):
            return "client \(client.clientID), secret: \(client.clientSecret?.masked ?? "none") (\(client.clientAuth.metadataName))"
        case .authorizationCode(let client, _, _, let refresh):
            return "client \(client.clientID), refresh token: \(refresh?.masked ?? "none stored")"
        }
    }
}
