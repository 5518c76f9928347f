/// The stable failure class ids of the contract.
public enum FailureClass: String, CaseIterable, Codable, Sendable, Comparable {
    case ok
    case credentialsRejected = "credentials_rejected"
    case insufficientScope = "insufficient_scope"
    case refreshTokenInvalid = "refresh_token_invalid"
    case accessTokenExpired = "access_token_expired"
    case insufficientPermissions = "insufficient_permissions"
    case wrongAuthScheme = "wrong_auth_scheme"
    case redirectURIMismatch = "redirect_uri_mismatch"
    case grantNotAllowed = "grant_not_allowed"
    case interactionRequired = "interaction_required"
    case ipNotAllowed = "ip_not_allowed"
    case rateLimited = "rate_limited"
    case providerUnavailable = "provider_unavailable"
    case wrongEndpoint = "wrong_endpoint"
    case clockSkew = "clock_skew"
    case dnsFailure = "dns_failure"
    case connectionFailed = "connection_failed"
    case tlsError = "tls_error"
    case timeout
    case unknown

    /// Failures that go away by themselves: the exit status is 75, "try again later".
    public var isTransient: Bool {
        self == .rateLimited || self == .providerUnavailable || self == .timeout
    }

    /// Failures where no HTTP answer came back.
    public var isTransport: Bool {
        self == .dnsFailure || self == .connectionFailed || self == .tlsError || self == .timeout
    }

    public static func < (lhs: FailureClass, rhs: FailureClass) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The auth methods of the contract's connection file.
public enum AuthType: String, CaseIterable, Codable, Sendable {
    case apiKey = "api_key"
    case basic
    case serviceUser = "service_user"
    case oauth2ClientCredentials = "oauth2_client_credentials"
    case oauth2AuthorizationCode = "oauth2_authorization_code"

    public var isOAuth: Bool { self == .oauth2ClientCredentials || self == .oauth2AuthorizationCode }
}
