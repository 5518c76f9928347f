import Foundation
import HubDoctorCore
import Testing

/// A token endpoint's answer read leniently (RFC 6749 §5.1 and what providers really send), and
/// JWT claims decoded without verification (RFC 7519).
@Suite struct TokenAndJWTTests {
    static func parse(_ body: String, contentType: String? = "application/json") -> TokenResponse? {
        TokenResponse.parse(Data(body.utf8), contentType: contentType)
    }

    // MARK: - TokenResponse

    /// RFC 6749 §5.1, the example successful response (its `example_parameter` is ignored).
    @Test func rfc6749SuccessfulResponse() throws {
        let body = """
            {
              "access_token":"2YotnFZFEjr1zCsicMWpAA",
              "token_type":"example",
              "expires_in":3600,
              "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",
              "example_parameter":"example_value"
            }
            """
        let response = try #require(Self.parse(body))
        #expect(response.accessToken == "2YotnFZFEjr1zCsicMWpAA")
        #expect(response.tokenType == "example")
        #expect(response.expiresIn == 3600)
        #expect(response.scope == nil)
        #expect(response.refreshToken == "tGzv3JOkF0XG5Qx2TlKWIA")
        #expect(response.idToken == nil)
    }

    /// RFC 6749 §5.1 says `expires_in` is a number; some providers send a string.
    @Test(arguments: [(#""3600""#, 3600), ("3600", 3600), (#""86399""#, 86399), (#""soon""#, nil), ("null", nil)] as [(String, Int?)])
    func expiresInAsNumberOrString(_ value: String, _ expected: Int?) throws {
        let response = try #require(Self.parse(#"{"access_token":"at-123456","token_type":"Bearer","expires_in":\#(value)}"#))
        #expect(response.expiresIn == expected)
    }

    /// `token_type` is REQUIRED by RFC 6749 §5.1, yet some providers leave it out.
    @Test func missingTokenTypeIsAccepted() throws {
        let response = try #require(Self.parse(#"{"access_token":"at-123456","expires_in":3600}"#))
        #expect(response.accessToken == "at-123456")
        #expect(response.tokenType == nil)
        #expect(response.expiresIn == 3600)
    }

    /// Form-encoded answers (GitHub's default without `Accept: application/json`), percent escapes decoded.
    @Test func formEncodedResponse() throws {
        let body = "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer"
        let response = try #require(Self.parse(body, contentType: "application/x-www-form-urlencoded"))
        #expect(response.accessToken == "gho_16C7e42F292c6912E7710c838347Ae178B4a")
        #expect(response.tokenType == "bearer")
        #expect(response.scope == ["repo", "gist"])
        #expect(response.expiresIn == nil)
        // The content type is not needed to recognise it.
        #expect(Self.parse(body, contentType: nil) == response)
    }

    /// RFC 6749 §3.3: the scope is a space-delimited string; providers also send commas or a JSON list.
    @Test(arguments: [
        (#""read:employees write:employees""#, ["read:employees", "write:employees"]),
        (#""read,write""#, ["read", "write"]),
        (#"["read:employees", "offline_access"]"#, ["read:employees", "offline_access"]),
        (#""""#, []),
        ("[]", []),
    ] as [(String, [String])])
    func scopeAsStringOrList(_ value: String, _ expected: [String]) throws {
        let response = try #require(Self.parse(#"{"access_token":"at-123456","token_type":"Bearer","scope":\#(value)}"#))
        #expect(response.scope == expected)
    }

    /// RFC 6749 §5.1: an absent scope means "as requested" — nil, not an empty grant.
    @Test func absentScopeIsNil() throws {
        #expect(try #require(Self.parse(#"{"access_token":"at-123456","token_type":"Bearer"}"#)).scope == nil)
    }

    @Test func refreshAndIDTokensAreRead() throws {
        let response = try #require(Self.parse(#"{"access_token":"at-123456","refresh_token":"rt-abcdef","id_token":"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}"#))
        #expect(response.refreshToken == "rt-abcdef")
        #expect(response.idToken == "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
        // An empty refresh token is no refresh token.
        #expect(try #require(Self.parse(#"{"access_token":"at-123456","refresh_token":""}"#)).refreshToken == nil)
    }

    @Test(arguments: [
        #"{"token_type":"Bearer","expires_in":3600}"#,
        #"{"access_token":"","token_type":"Bearer"}"#,
        #"{"access_token":null}"#,
        #"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#,
        "error=invalid_client&error_description=Client+authentication+failed",
        "<html><body>Sign in</body></html>",
        "",
        #"["access_token"]"#,
    ])
    func noAccessTokenIsNil(_ body: String) {
        #expect(Self.parse(body) == nil)
    }

    // MARK: - JWTClaims

    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    /// A JWT built here: a JSON header and payload in Base64URL, and a dummy signature.
    static func jwt(_ claims: [String: Any], header: [String: Any] = ["alg": "RS256", "typ": "JWT"]) throws -> String {
        let headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let payloadData = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        return Base64URL.encode(headerData) + "." + Base64URL.encode(payloadData) + "." + Base64URL.encode(Data("not-a-real-signature".utf8))
    }

    @Test func tokenWithoutExpiryIsNeverExpired() throws {
        let claims = try #require(JWTClaims(token: try Self.jwt(["sub": "user-1", "iss": "https://issuer.example.com"])))
        #expect(claims.expiresAt == nil)
        for date in [Date(timeIntervalSince1970: 0), Self.now, Date.distantFuture] {
            #expect(!claims.isExpired(at: date))
        }
    }

    @Test func expiryIsComparedWithNowAndLeeway() throws {
        let exp = Self.now.timeIntervalSince1970 - 300
        let claims = try #require(JWTClaims(token: try Self.jwt(["exp": exp])))
        #expect(claims.expiresAt == Date(timeIntervalSince1970: exp))
        #expect(claims.isExpired(at: Self.now))
        #expect(!claims.isExpired(at: Self.now, leeway: 600), "within the leeway it still counts as valid")
        #expect(!claims.isExpired(at: Self.now.addingTimeInterval(-400)), "before exp it is not expired")
        #expect(!claims.isNotYetValid(at: Self.now))
    }

    @Test func notBeforeInTheFutureIsNotYetValid() throws {
        let future = try #require(JWTClaims(token: try Self.jwt(["nbf": Self.now.timeIntervalSince1970 + 600, "exp": Self.now.timeIntervalSince1970 + 3600])))
        #expect(future.isNotYetValid(at: Self.now))
        #expect(!future.isExpired(at: Self.now))
        #expect(future.notBefore == Self.now.addingTimeInterval(600))
        // Within the default 60 s leeway a small clock difference is tolerated.
        let slightly = try #require(JWTClaims(token: try Self.jwt(["nbf": Self.now.timeIntervalSince1970 + 30])))
        #expect(!slightly.isNotYetValid(at: Self.now))
        #expect(slightly.isNotYetValid(at: Self.now, leeway: 0))
        let past = try #require(JWTClaims(token: try Self.jwt(["nbf": Self.now.timeIntervalSince1970 - 600])))
        #expect(!past.isNotYetValid(at: Self.now))
        // An `iat` in the future says the same.
        let issuedAhead = try #require(JWTClaims(token: try Self.jwt(["iat": Self.now.timeIntervalSince1970 + 900])))
        #expect(issuedAhead.isNotYetValid(at: Self.now))
    }

    @Test func scopesFromScpListOrScopeString() throws {
        let entra = try #require(JWTClaims(token: try Self.jwt(["scp": ["User.Read", "Mail.Read"]])))
        #expect(entra.scopes == ["User.Read", "Mail.Read"])
        let entraString = try #require(JWTClaims(token: try Self.jwt(["scp": "User.Read Mail.Read"])))
        #expect(entraString.scopes == ["User.Read", "Mail.Read"])
        let oauth = try #require(JWTClaims(token: try Self.jwt(["scope": "read:employees offline_access"])))
        #expect(oauth.scopes == ["read:employees", "offline_access"])
        let none = try #require(JWTClaims(token: try Self.jwt(["sub": "x"])))
        #expect(none.scopes == nil)
        let roles = try #require(JWTClaims(token: try Self.jwt(["roles": ["Employee.Read.All"]])))
        #expect(roles.roles == ["Employee.Read.All"])
        #expect(roles.scopes == nil)
    }

    /// Base64URL's `-` and `_` (never `+` or `/`) must decode.
    @Test func payloadWithURLSafeCharactersDecodes() throws {
        let token = try Self.jwt(["sub": "??>>??>>", "note": "~~~~"])
        let payload = String(token.split(separator: ".")[1])
        #expect(payload.contains("-") || payload.contains("_"), "the payload does not exercise the URL-safe alphabet: \(payload)")
        #expect(!payload.contains("+") && !payload.contains("/") && !payload.contains("="))
        let claims = try #require(JWTClaims(token: token))
        #expect(claims.claims["sub"] == .string("??>>??>>"))
    }

    /// RFC 7519 §6.1: the example unsecured JWT (empty signature), with its line breaks removed.
    @Test func rfc7519UnsecuredExample() throws {
        let token = "eyJhbGciOiJub25lIn0"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + "."
        let claims = try #require(JWTClaims(token: token))
        #expect(claims.claims["iss"] == .string("joe"))
        #expect(claims.claims["http://example.com/is_root"] == .bool(true))
        #expect(claims.expiresAt == Date(timeIntervalSince1970: 1_300_819_380))
        #expect(claims.isExpired(at: Self.now))
        #expect(!claims.isExpired(at: Date(timeIntervalSince1970: 1_300_819_379)))
    }

    @Test(arguments: [
        "2YotnFZFEjr1zCsicMWpAA",  // an opaque token (RFC 6749 §5.1)
        "a.b",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0",  // two parts
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig.extra",  // four parts
        "abc.eyJzdWIiOiJ4In0.sig",  // the header is not JSON
        "eyJhbGciOiJub25lIn0.bm90IGpzb24.sig",  // "not json"
        "eyJhbGciOiJub25lIn0.WzEsMl0.sig",  // "[1,2]": a payload that is not an object
        "eyJhbGciOiJub25lIn0.!!!.sig",
        "",
    ])
    func nonJWTIsNil(_ token: String) {
        #expect(JWTClaims(token: token) == nil)
    }
}
