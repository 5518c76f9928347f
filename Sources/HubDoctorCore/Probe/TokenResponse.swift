import Foundation

/// An OAuth token endpoint's successful answer (RFC 6749 §5.1), read leniently: providers send
/// `expires_in` as a string, leave out `token_type`, or answer form-encoded.
public struct TokenResponse: Sendable, Equatable {
    public var accessToken: String
    public var tokenType: String?
    public var expiresIn: Int?
    /// The granted scopes, when the provider says; RFC 6749 §5.1: absent means "as requested".
    public var scope: [String]?
    public var refreshToken: String?
    public var idToken: String?

    public static func parse(_ body: Data, contentType: String?) -> TokenResponse? {
        var fields: [String: JSONValue] = [:]
        if case .object(let object) = JSONValue.parse(body) ?? .null {
            fields = object
        } else {
            let text = String(decoding: body, as: UTF8.self)
            guard text.contains("access_token=") else { return nil }
            fields = FormEncoding.decode(text).mapValues { .string($0) }
        }
        guard let token = fields["access_token"]?.stringValue, !token.isEmpty else { return nil }
        let expires = fields["expires_in"]?.numberValue.map { Int($0) }
        let scope: [String]?
        switch fields["scope"] {
        case .string(let value): scope = value.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        case .array(let values): scope = values.compactMap(\.stringValue)
        default: scope = nil
        }
        return TokenResponse(
            accessToken: token, tokenType: fields["token_type"]?.stringValue, expiresIn: expires, scope: scope,
            refreshToken: fields["refresh_token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }, idToken: fields["id_token"]?.stringValue)
    }
}
