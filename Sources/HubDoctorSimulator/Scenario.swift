import Foundation

/// A fault the simulated provider can be switched into, one per failure the contract names that
/// can be produced over loopback.
public enum Fault: String, CaseIterable, Sendable, Codable {
    /// The API key was rotated: the old one is rejected.
    case rotatedKey = "rotated-key"
    /// The Basic password was changed.
    case changedPassword = "changed-password"
    /// The service user's token was revoked.
    case revokedServiceUser = "revoked-service-user"
    /// The client secret was rotated: the token endpoint answers invalid_client.
    case rotatedClientSecret = "rotated-client-secret"
    case revokedRefreshToken = "revoked-refresh-token"
    case expiredRefreshToken = "expired-refresh-token"
    /// Access tokens are issued already expired, and the API says so.
    case expiredAccessToken = "expired-access-token"
    /// The token endpoint grants fewer scopes than asked; the API answers 403 insufficient_scope.
    case missingScope = "missing-scope"
    /// The admin endpoint refuses everyone: the account lacks the Administrator role.
    case missingAdmin = "missing-admin"
    /// The client may not use the client_credentials grant.
    case grantNotAllowed = "grant-not-allowed"
    /// The registered redirect URI is not the one hubdoctor sends.
    case redirectURIMismatch = "redirect-uri-mismatch"
    /// The API wants the key in `X-API-Key`, not `Authorization: Bearer`.
    case wrongScheme = "wrong-scheme"
    /// Every request answers 429 with Retry-After.
    case rateLimited = "rate-limited"
    /// Every request answers 503 (maintenance).
    case unavailable
    /// The API moved to /api/v2: the configured path answers 404.
    case wrongPath = "wrong-path"
    /// Answers take 5 seconds: longer than the timeout the demo sets.
    case slow
    /// Refreshing needs MFA the account has not completed.
    case interactionRequired = "interaction-required"
    /// The account only accepts requests from allow-listed addresses.
    case ipNotAllowed = "ip-not-allowed"
    /// The provider's clock runs ten minutes ahead: tokens are not yet valid for the API.
    case clockSkew = "clock-skew"
    /// Refresh tokens are rotated on every use.
    case rotateRefreshTokens = "rotate-refresh-tokens"
}

/// A named situation for `hubdoctor demo` and the tests: faults, and how the connection reaches the simulator.
public struct Scenario: Sendable, Equatable {
    public enum Network: String, Sendable {
        case plain
        case tls
        case selfSignedTLS = "self-signed-tls"
        case expiredTLS = "expired-tls"
        /// The connection points at a port nobody listens on.
        case closedPort = "closed-port"
        /// The connection points at a `.invalid` host name (RFC 6761: never resolves).
        case invalidHost = "invalid-host"
    }

    public var name: String
    public var summary: String
    public var faults: Set<Fault>
    public var network: Network

    public init(name: String, summary: String, faults: Set<Fault> = [], network: Network = .plain) {
        self.name = name
        self.summary = summary
        self.faults = faults
        self.network = network
    }

    /// Every scenario `hubdoctor demo` knows, the default first.
    public static let all: [Scenario] = [
        Scenario(
            name: "mixed", summary: "several methods fail in different ways (the default)",
            faults: [.changedPassword, .missingScope, .revokedRefreshToken]),
        Scenario(name: "healthy", summary: "every method works"),
        Scenario(name: "tls", summary: "every method works over HTTPS with a private CA", network: .tls),
        Scenario(name: "self-signed-tls", summary: "the server presents a self-signed certificate", network: .selfSignedTLS),
        Scenario(name: "expired-tls", summary: "the server's certificate expired yesterday", network: .expiredTLS),
        Scenario(name: "closed-port", summary: "nothing listens on the API's port", network: .closedPort),
        Scenario(name: "invalid-host", summary: "the API's host name does not resolve", network: .invalidHost),
    ] + Fault.allCases.map { fault in Scenario(name: fault.rawValue, summary: Scenario.describe(fault), faults: [fault]) }

    public static func named(_ name: String) -> Scenario? { all.first { $0.name == name } }

    static func describe(_ fault: Fault) -> String {
        switch fault {
        case .rotatedKey: "the API key was rotated"
        case .changedPassword: "the Basic password was changed"
        case .revokedServiceUser: "the service user's token was revoked"
        case .rotatedClientSecret: "the OAuth client secret was rotated"
        case .revokedRefreshToken: "the refresh token was revoked"
        case .expiredRefreshToken: "the refresh token expired"
        case .expiredAccessToken: "access tokens arrive already expired"
        case .missingScope: "the token lacks the read:employees scope"
        case .missingAdmin: "the account lacks the Administrator role"
        case .grantNotAllowed: "the client may not use client credentials"
        case .redirectURIMismatch: "the registered redirect URI differs"
        case .wrongScheme: "the API wants the key in X-API-Key"
        case .rateLimited: "every request is throttled (429)"
        case .unavailable: "the provider is down for maintenance (503)"
        case .wrongPath: "the API moved to /api/v2"
        case .slow: "the provider takes 5 seconds to answer"
        case .interactionRequired: "refreshing needs multi-factor authentication"
        case .ipNotAllowed: "the account allows only listed IP addresses"
        case .clockSkew: "the provider's clock is 10 minutes ahead"
        case .rotateRefreshTokens: "every refresh returns a new refresh token"
        }
    }
}

/// The credentials the simulator accepts. Tests replace them with generated secrets.
public struct SimulatorCredentials: Sendable, Equatable {
    public var apiKey: String
    public var username: String
    public var password: String
    public var serviceUserID: String
    public var serviceUserToken: String
    public var clientID: String
    public var clientSecret: String
    public var refreshToken: String
    public var redirectURI: String

    public init(
        apiKey: String = "sim_live_7Qm2xR9vK4pT8wZ3nB6c",
        username: String = "integration@acme.example",
        password: String = "Dem0-Passw0rd-for-the-simulator",
        serviceUserID: String = "SU-1001",
        serviceUserToken: String = "sut_4kF9pQ2wX7mN3bV8zR1t",
        clientID: String = "hubdoctor-demo",
        clientSecret: String = "cs_9Xw2Lq7Vb4Nm8Rt3Kp6Z",
        refreshToken: String = "rt_initial_3Hs8Jd2Kf9Lq4Wz7",
        redirectURI: String = "http://127.0.0.1:8765/callback"
    ) {
        self.apiKey = apiKey
        self.username = username
        self.password = password
        self.serviceUserID = serviceUserID
        self.serviceUserToken = serviceUserToken
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.refreshToken = refreshToken
        self.redirectURI = redirectURI
    }
}
