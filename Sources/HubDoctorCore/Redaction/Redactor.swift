import Foundation

/// Removes every secret and personal detail from what hubdoctor records, before anything else sees it.
///
/// It knows the configured secrets and every token or code received, in each form they travel in
/// (plain, Base64 at any alignment, Basic `user:secret`, percent- and form-encoded, JSON- and
/// HTML-escaped), and it also scrubs by name (`Authorization`, cookies, `*token*`, `*secret*`,
/// `password`, `api_key` in headers, query strings, forms and JSON) and by shape (bearer
/// credentials in text, JWTs, e-mail addresses). A redacted value becomes
/// `[redacted:KIND:3f9a1c]`: a salted hash lets a reader see that two values were equal without
/// learning either. JWTs keep the claims that matter for a diagnosis and lose their signature and
/// personal claims.
public final class Redactor: @unchecked Sendable {
    private let lock = NSLock()
    private let salt: [UInt8]
    /// Known values (every form) → kind, replaced longest first.
    private var known: [String: String] = [:]
    private var sortedKnown: [(String, String)] = []
    private var dirty = false
    /// How many values of each kind were removed, for manifest.json.
    private var counts: [String: Int] = [:]

    /// Secrets shorter than this are not searched for in free text (they would match ordinary words);
    /// they are still removed by name.
    public static let minimumLength = 6

    public init(salt: [UInt8]? = nil) {
        if let salt {
            self.salt = salt
        } else {
            var generator = SystemRandomNumberGenerator()
            self.salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
    }

    // MARK: - Learning values

    /// Registers a secret and the forms it may appear in.
    public func learn(_ value: String, kind: String) {
        guard value.count >= Self.minimumLength else { return }
        lock.lock()
        defer { lock.unlock() }
        for form in Self.forms(of: value) where form.count >= Self.minimumLength && known[form] == nil {
            known[form] = kind
            dirty = true
        }
    }

    /// Registers a Basic credential pair: the pair's Base64 is what travels.
    public func learnBasic(user: String, password: String, kind: String = "basic") {
        learn("\(user):\(password)", kind: kind)
        if !password.isEmpty { learn(password, kind: kind == "basic" ? "password" : kind) }
    }

    /// Registers every secret a connection resolved, Basic pairs included.
    public func learn(connection: Connection) {
        for method in connection.methods {
            for (kind, value) in method.secrets { learn(value, kind: kind) }
            switch method.settings {
            case .basic(let username, let password):
                learnBasic(user: username.value, password: password.value)
            case .clientCredentials(let client), .authorizationCode(let client, _, _, _):
                if let secret = client.clientSecret?.value {
                    learnBasic(user: client.clientID, password: secret, kind: "client_secret")
                    learnBasic(user: FormEncoding.formEncode(client.clientID), password: FormEncoding.formEncode(secret), kind: "client_secret")
                }
            case .apiKey(let key, _, _):
                // Vendors that take a key as the Basic user name (BambooHR, Greenhouse).
                for pair in ["\(key.value):", "\(key.value):x"] { learn(pair, kind: "api_key") }
            default:
                break
            }
        }
    }

    /// Learns the tokens in an OAuth token response (JSON or form-encoded).
    public func learnTokens(fromTokenResponse body: Data) {
        let text = String(decoding: body, as: UTF8.self)
        var fields: [String: String] = [:]
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            for (key, value) in object { if let string = value as? String { fields[key] = string } }
        } else {
            fields = FormEncoding.decode(text)
        }
        for (key, value) in fields where Self.isSensitiveName(key) { learn(value, kind: Self.kind(forName: key)) }
    }

    /// Every form a value may take on the wire or in a log.
    static func forms(of value: String) -> Set<String> {
        var forms: Set<String> = [value]
        forms.insert(FormEncoding.percentEncode(value))
        forms.insert(FormEncoding.formEncode(value))
        forms.insert(FormEncoding.percentEncode(value).lowercasedPercentEscapes)
        forms.insert(value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? value)
        forms.insert(JSONEscaping.escape(value, escapeSlash: false, asciiOnly: false))
        forms.insert(JSONEscaping.escape(value, escapeSlash: true, asciiOnly: false))
        forms.insert(JSONEscaping.escape(value, escapeSlash: false, asciiOnly: true))
        forms.insert(JSONEscaping.escape(value, escapeSlash: true, asciiOnly: true))
        forms.insert(HTMLEscaping.escape(value))
        let bytes = Array(value.utf8)
        for alignment in 0..<3 {
            for alphabet in [Base64Alphabet.standard, .urlSafe] {
                if let core = Base64Core.aligned(bytes, alignment: alignment, alphabet: alphabet) { forms.insert(core) }
            }
        }
        return forms
    }

    // MARK: - Redacting

    /// The marker that replaces a value: kind and a short salted hash.
    public func marker(_ value: String, kind: String) -> String {
        let digest = SHA256.hmac(key: salt, message: Array(value.utf8))
        return "[redacted:\(kind):\(digest.prefix(3).hexString)]"
    }

    private func count(_ kind: String) {
        counts[kind, default: 0] += 1
    }

    /// Counts of removed values by kind (never the values).
    public var redactionCounts: [String: Int] {
        lock.withLock { counts }
    }

    /// Redacts free text: JWTs, known values, bearer/basic credentials, `name=value` secrets, e-mail addresses.
    public func redact(_ text: String) -> String {
        lock.withLock { redactLocked(text) }
    }

    private func redactLocked(_ text: String) -> String {
        if text.isEmpty { return text }
        var result = sanitizeJWTs(in: text)
        // Each pass runs only when a cheap scan says it could match: explaining a 10,000-entry HAR
        // runs this on every header and body.
        let lower = result.lowercased()
        // Credentials after a scheme go whole first, so no fragment of a Base64 pair is left beside a marker.
        if Self.schemeWords.contains(where: { ByteSearch.contains(lower, $0) }) { result = Self.credentialInText.replace(in: result) { match in
            let scheme = match[1]
            let credential = match[2]
            if credential.hasPrefix("[redacted:") || credential.contains(".eyJ") { return match[0] }
            let kind = scheme.lowercased() == "basic" ? "basic" : (known[credential] ?? "credential")
            return "\(scheme) \(self.markerCounted(credential, kind: kind))"
        } }
        if dirty {
            sortedKnown = known.sorted { $0.key.count != $1.key.count ? $0.key.count > $1.key.count : $0.key < $1.key }
            dirty = false
        }
        for (value, kind) in sortedKnown where ByteSearch.contains(result, value) {
            let (replaced, found) = ByteSearch.replaceAll(result, value, with: marker(value, kind: kind))
            counts[kind, default: 0] += found
            result = replaced
        }
        if Self.secretNames.contains(where: { ByteSearch.contains(lower, $0) }) { result = Self.namedSecretInText.replace(in: result) { match in
            let value = match[3]
            if value.isEmpty { return match[0] }
            return match[1] + match[2] + self.markerCounted(value, kind: Self.kind(forName: match[1]))
        } }
        if ByteSearch.contains(result, "@") {
            result = Self.email.replace(in: result) { self.markerCounted($0[0].lowercased(), kind: "email") }
        }
        return result
    }

    static let schemeWords = ["bearer", "basic", "token", "ssws", "digest"]
    static let secretNames = ["token", "secret", "password", "passwd", "api_key", "apikey", "verifier", "assertion", "session", "private_key"]

    // Bearer/Basic credentials anywhere in text (curl traces, pasted logs).
    static let credentialInText = Pattern(literal: #"\b(Bearer|Basic|Token|SSWS|Digest)\s+([A-Za-z0-9._~+/=-]{8,})"#)
    // password=..., "client_secret": "...", access_token: ... in free text.
    // A marker's own "[redacted:api_key:..." is not a name=value pair: the lookbehind skips it.
    static let namedSecretInText = Pattern(literal:
        #"(?<!\[redacted:)\b((?:access|refresh|id)_token|client_secret|password|passwd|api_?key|apikey|secret|code_verifier|assertion|session_?id|private_key)(\\?"?\s*[:=]\s*\\?"?)([^\s"'&,;<>\\\[\]]{4,})"#,
        )
    static let email = Pattern(literal: #"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#)
    static let jwt = Pattern(literal: #"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"#)

    /// Claims a diagnosis needs; everything else (names, e-mails, subject ids) goes.
    public static let keptClaims: Set<String> = ["iss", "aud", "exp", "nbf", "iat", "scope", "scp", "roles", "tid", "azp", "client_id", "token_use", "ver", "typ"]

    /// `header.payload.signature` → `header.filtered-payload.[redacted:jwt_signature:…]`.
    private func sanitizeJWTs(in text: String) -> String {
        guard ByteSearch.contains(text, "eyJ") else { return text }
        return Self.jwt.replace(in: text) { match in
            let token = match[0]
            let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let payload = Base64URL.decode(parts[1]),
                let claims = try? JSONSerialization.jsonObject(with: payload) as? [String: Any]
            else { return self.markerCounted(token, kind: "token") }
            var kept: [String: Any] = [:]
            for (key, value) in claims where Self.keptClaims.contains(key) {
                // Claim values are scrubbed too, in case a secret hides inside one.
                if let string = value as? String { kept[key] = self.redactLocked(string) } else { kept[key] = value }
            }
            let data = (try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys])) ?? Data("{}".utf8)
            let header = Base64URL.decode(parts[0]).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
            let safeHeader = header.filter { ["alg", "typ", "kid"].contains($0.key) }
            let headerData = (try? JSONSerialization.data(withJSONObject: safeHeader, options: [.sortedKeys])) ?? Data("{}".utf8)
            count("jwt")  // counted as a JWT; its signature's marker is not counted again
            return Base64URL.encode(headerData) + "." + Base64URL.encode(data) + "." + self.marker(token, kind: "jwt_signature")
        }
    }

    // MARK: - By name

    /// Names that hold secrets: headers, query and form parameters, JSON keys.
    public static func isSensitiveName(_ name: String) -> Bool {
        let lower = name.lowercased()
        if safeNames.contains(lower) { return false }
        for suffix in ["_endpoint", "_type", "_supported", "_uri", "_url", "_in", "_at", "_expires", "-type", "_method", "_methods", "_count"] where lower.hasSuffix(suffix) {
            return false
        }
        if ["authorization", "proxy-authorization", "cookie", "set-cookie", "code", "state_token", "sig", "signature", "key"].contains(lower) { return true }
        return ["token", "secret", "password", "passwd", "pwd", "api_key", "api-key", "apikey", "session", "credential", "assertion", "code_verifier", "private_key", "auth"]
            .contains { lower.contains($0) }
    }

    static let safeNames: Set<String> = [
        "www-authenticate", "authentication-info", "x-oauth-scopes", "x-accepted-oauth-scopes", "token_type", "expires_in",
        "grant_type", "response_type", "client_id", "scope", "state", "redirect_uri", "error", "error_description", "error_uri",
        "x-ratelimit-remaining", "x-ratelimit-limit", "x-ratelimit-reset", "content-type", "authorization_endpoint",
        "code_challenge_method", "refresh_token_expires_in", "x-request-id", "request-id", "access-control-allow-headers",
    ]

    static func kind(forName name: String) -> String {
        let lower = name.lowercased().replacingOccurrences(of: "-", with: "_")
        for kind in ["refresh_token", "access_token", "id_token", "client_secret", "code_verifier", "password", "api_key", "apikey", "cookie", "session", "assertion"] where lower.contains(kind) {
            return kind == "apikey" ? "api_key" : kind
        }
        if lower == "code" { return "authorization_code" }
        if lower.contains("secret") { return "secret" }
        if lower.contains("token") { return "token" }
        return "secret"
    }

    /// A header value with its credentials replaced; the scheme of `Authorization` stays, it is evidence.
    public func redactHeader(_ header: HTTPHeader) -> HTTPHeader {
        lock.withLock { redactHeaderLocked(header) }
    }

    private func redactHeaderLocked(_ header: HTTPHeader) -> HTTPHeader {
        let lower = header.name.lowercased()
        switch lower {
        case "authorization", "proxy-authorization":
            let parts = header.value.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                let credential = redactLocked(parts[1])
                let kind = parts[0].lowercased() == "basic" ? "basic" : "credential"
                let value = credential.contains("[redacted:") || credential.contains(".eyJ") ? credential : markerCounted(parts[1], kind: kind)
                return HTTPHeader(header.name, "\(parts[0]) \(value)")
            }
            return HTTPHeader(header.name, markerCounted(header.value, kind: "credential"))
        case "cookie":
            let pairs = header.value.split(separator: ";").map { pair -> String in
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
                return parts.count == 2 ? "\(parts[0])=\(markerCounted(parts[1], kind: "cookie"))" : String(pair)
            }
            return HTTPHeader(header.name, pairs.joined(separator: "; "))
        case "set-cookie":
            var attributes = header.value.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            if let first = attributes.first, let equals = first.firstIndex(of: "=") {
                attributes[0] = String(first[...equals]) + markerCounted(String(first[first.index(after: equals)...]), kind: "cookie")
            }
            return HTTPHeader(header.name, redactLocked(attributes.joined(separator: ";")))
        case "location", "content-location", "referer":
            return HTTPHeader(header.name, redactURLLocked(header.value))
        default:
            if Self.isSensitiveName(header.name) { return HTTPHeader(header.name, markerCounted(header.value, kind: Self.kind(forName: header.name))) }
            return HTTPHeader(header.name, redactLocked(header.value))
        }
    }

    private func markerCounted(_ value: String, kind: String) -> String {
        if value.hasPrefix("[redacted:") { return value }
        count(kind)
        return marker(value, kind: kind)
    }

    /// A URL whose sensitive query parameters (`code`, `access_token`, `client_secret`, ...) are replaced.
    public func redactURL(_ url: String) -> String {
        lock.withLock { redactURLLocked(url) }
    }

    /// The part before `?`/`#` as text; the query and fragment field by field, each value once.
    private func redactURLLocked(_ url: String) -> String {
        guard let mark = url.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return redactLocked(url) }
        var result = redactLocked(String(url[..<mark])) + String(url[mark])
        let rest = String(url[url.index(after: mark)...])
        let fragmentSplit = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        result += redactFormLocked(fragmentSplit[0])
        if fragmentSplit.count > 1 { result += "#" + redactFormLocked(fragmentSplit[1]) }
        return result
    }

    /// A form body (`a=1&client_secret=...`) with sensitive fields replaced; other values keep their encoding.
    private func redactFormLocked(_ text: String) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { return redactLocked(String(pair)) }
            let name = FormEncoding.unescape(parts[0])
            if Self.isSensitiveName(name), !parts[1].isEmpty {
                return "\(parts[0])=\(markerCounted(FormEncoding.unescape(parts[1]), kind: Self.kind(forName: name)))"
            }
            return "\(parts[0])=\(redactLocked(parts[1]))"
        }.joined(separator: "&")
    }

    /// A JSON document with sensitive keys' values replaced and every string scrubbed; nil when it is not JSON.
    public func redactJSON(_ data: Data) -> String? {
        // Nothing sensitive by name, shape or value: the document goes through as it is, unparsed.
        if let text = String(data: data, encoding: .utf8), !mayHoldSecrets(text) { return text }
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        let cleaned = lock.withLock { redactJSONValue(object, depth: 0) }
        guard let out = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// A cheap test that no pass of the redactor could change `text`.
    func mayHoldSecrets(_ text: String) -> Bool {
        let lower = text.lowercased()
        let words = ["eyj", "@", "cookie", "auth", "code", "key", "sig"] + Self.schemeWords + Self.secretNames
        if words.contains(where: { ByteSearch.contains(lower, $0) }) { return true }
        lock.lock()
        defer { lock.unlock() }
        return known.keys.contains { ByteSearch.contains(text, $0) }
    }

    private func redactJSONValue(_ value: Any, depth: Int) -> Any {
        if depth > 64 { return "[redacted:nested:depth]" }
        switch value {
        case let dictionary as [String: Any]:
            var out: [String: Any] = [:]
            for (name, child) in dictionary {
                let cleanName = redactLocked(name)
                if Self.isSensitiveName(name), let string = child as? String, !string.isEmpty {
                    out[cleanName] = markerCounted(string, kind: Self.kind(forName: name))
                } else {
                    out[cleanName] = redactJSONValue(child, depth: depth + 1)
                }
            }
            return out
        case let array as [Any]:
            return array.map { redactJSONValue($0, depth: depth + 1) }
        case let string as String:
            return redactLocked(string)
        default:
            return value
        }
    }

    /// A body by its type: JSON and forms structurally, anything else as text.
    public func redactBody(_ data: Data, contentType: String?) -> String {
        let type = (contentType ?? "").lowercased()
        let text = String(decoding: data, as: UTF8.self)
        if type.contains("json") || text.first == "{" || text.first == "[" {
            if let json = redactJSON(data) { return json }
        }
        if type.contains("x-www-form-urlencoded") || (!text.contains(" ") && text.contains("=") && !text.contains("<")) {
            return lock.withLock { redactFormLocked(text) }
        }
        return redact(text)
    }
}

extension String {
    /// `%2F` → `%2f`: some encoders write lower-case escapes.
    var lowercasedPercentEscapes: String {
        var result = ""
        var remaining = 0
        for character in self {
            if character == "%" {
                remaining = 2
                result.append(character)
            } else if remaining > 0 {
                result += character.lowercased()
                remaining -= 1
            } else {
                result.append(character)
            }
        }
        return result
    }
}
