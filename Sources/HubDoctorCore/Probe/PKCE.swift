import Foundation

/// Proof Key for Code Exchange with S256 (RFC 7636).
public struct PKCE: Sendable {
    public let verifier: String
    public var challenge: String { Base64URL.encode(Data(SHA256.hash(Array(verifier.utf8)))) }

    public init(verifier: String = PKCE.randomString(length: 64)) { self.verifier = verifier }

    /// Random characters from the unreserved set RFC 7636 §4.1 allows.
    public static func randomString(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
