import Foundation

/// Everything learned while probing one auth method: the exchanges and the facts around them.
public struct MethodRun: Sendable {
    public var id: String
    public var type: AuthType
    public var exchanges: [Exchange]
    public var context: MethodContext

    public init(id: String, type: AuthType, exchanges: [Exchange] = [], context: MethodContext = MethodContext()) {
        self.id = id
        self.type = type
        self.exchanges = exchanges
        self.context = context
    }
}

/// What the classifier needs beyond single exchanges.
public struct MethodContext: Codable, Sendable, Equatable {
    public var provider: String?
    /// How the credential is shown in the report (masked).
    public var credential: String?
    public var requestedScopes: [String]?
    /// Scopes the token response granted (nil: it did not say, which means "as requested").
    public var grantedScopes: [String]?
    public var requiredScopes: [String] = []
    /// Claims of the access token used against the API, when it is a JWT.
    public var tokenClaims: JWTClaims?
    /// Provider clock minus local clock, in seconds, from the `Date` header.
    public var clockOffset: Double?
    /// When this credential last worked and was last rejected, before this run.
    public var history: CredentialHistory.Record?
    public var redirectURI: String?
    /// The redirect URI the provider reported it expected, when it said.
    public var expectedRedirectURI: String?
    /// Where a rotated refresh token was saved.
    public var rotatedTokenSavedTo: String?
    /// Set when the method could not be probed (no refresh token stored: `hubdoctor login` is needed).
    public var skipped: String?
    /// Observations for the report (discovery mismatches, scheme trials, warnings).
    public var notes: [String] = []
    /// A way of sending the credential that worked when the configured one did not (`--try-schemes`).
    public var workingScheme: String?
    /// The connection-file change that makes the configured method use the scheme that worked.
    public var schemeFix: String?

    public init() {}
}

/// How to probe.
public struct ProbeOptions: Sendable {
    public var timeout: Double
    public var trace: Bool
    public var trySchemes: Bool
    public var only: [String]

    public init(timeout: Double = 30, trace: Bool = false, trySchemes: Bool = false, only: [String] = []) {
        self.timeout = timeout
        self.trace = trace
        self.trySchemes = trySchemes
        self.only = only
    }
}
