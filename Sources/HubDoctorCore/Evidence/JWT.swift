import Foundation

/// A JSON Web Token decoded, never verified: its claims are evidence, not trust.
public struct JWTClaims: Codable, Sendable, Equatable {
    public var claims: [String: JSONValue]

    /// Decodes `header.payload.signature`; nil when the text is not a JWT with a JSON payload.
    public init?(token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].hasPrefix("eyJ"), let data = Base64URL.decode(String(parts[1])),
            case .object(let claims) = JSONValue.parse(data) ?? .null
        else { return nil }
        self.claims = claims
    }

    private func date(_ name: String) -> Date? { claims[name]?.numberValue.map { Date(timeIntervalSince1970: $0) } }

    public var expiresAt: Date? { date("exp") }
    public var notBefore: Date? { date("nbf") }
    public var issuedAt: Date? { date("iat") }

    /// Scopes from `scope` (space-separated) or `scp` (string or list).
    public var scopes: [String]? {
        for name in ["scope", "scp"] {
            switch claims[name] {
            case .string(let value): return value.split(separator: " ").map(String.init)
            case .array(let values): return values.compactMap(\.stringValue)
            default: continue
            }
        }
        return nil
    }

    public var roles: [String]? {
        if case .array(let values) = claims["roles"] { return values.compactMap(\.stringValue) }
        return nil
    }

    /// True only when the token has an `exp` and it has passed; a token without `exp` is not expired.
    public func isExpired(at now: Date, leeway: TimeInterval = 0) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt.addingTimeInterval(leeway) < now
    }

    /// True when `nbf` (or an `iat` in the future) is ahead of `now`.
    public func isNotYetValid(at now: Date, leeway: TimeInterval = 60) -> Bool {
        if let notBefore, notBefore > now.addingTimeInterval(leeway) { return true }
        if let issuedAt, issuedAt > now.addingTimeInterval(leeway) { return true }
        return false
    }
}
