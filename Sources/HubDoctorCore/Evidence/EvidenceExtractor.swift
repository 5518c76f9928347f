import Foundation

/// Reads typed evidence out of exchanges and pasted text: OAuth errors (JSON, form, redirect query),
/// `WWW-Authenticate` challenges, the JSON shapes providers use, XML/SOAP faults and HTML error pages
/// (through libxml2), vendor codes, rate-limit headers and request ids.
public struct EvidenceExtractor: Sendable {
    public let markup: MarkupInspector?
    /// Bodies are read up to this many bytes; a 50 MB answer is judged by its first megabyte.
    public static let bodyLimit = 1 << 20

    public init(markup: MarkupInspector?) { self.markup = markup }

    // MARK: - Exchanges

    public func evidence(for exchange: Exchange, in run: MethodRun? = nil, now: Date = Date()) -> Evidence {
        var evidence = Evidence()
        evidence.stage = exchange.stage
        evidence.grantType = exchange.grantType
        evidence.method = run?.type
        evidence.provider = run?.context.provider
        evidence.url = exchange.request.url
        evidence.host = URLComponents(string: exchange.request.url)?.host
        evidence.transport = exchange.failure
        if let response = exchange.response {
            evidence.status = response.status
            evidence.headers = response.headers
            readHeaders(response.headers, into: &evidence)
            if let body = response.body {
                // A success body is read only when it might be an error document (Slack's 200 {"ok": false}).
                let success = (200..<300).contains(response.status)
                if !success || Self.mayBeErrorDocument(body) {
                    readBody(body, contentType: response.contentType, into: &evidence)
                } else {
                    evidence.body = body
                }
            }
            if (200..<300).contains(response.status) { evidence.facts.insert(.success) }
            if let location = response.headers.value("Location") { readRedirect(location, into: &evidence) }
        }
        // The access token presented to the API, when it is a JWT (HAR files carry it).
        if let authorization = exchange.request.headers.value("Authorization"), let token = authorization.split(separator: " ").last,
            let claims = JWTClaims(token: String(token)), run?.context.tokenClaims == nil
        {
            addClaimFacts(claims, now: now, into: &evidence)
        }
        if let run { addContextFacts(run, exchange: exchange, now: now, into: &evidence) }
        findCodes(into: &evidence)
        return evidence
    }

    func readHeaders(_ headers: [HTTPHeader], into evidence: inout Evidence) {
        for value in headers.values("WWW-Authenticate") {
            let challenges = WWWAuthenticate.parse(value)
            evidence.challenges += challenges
            for challenge in challenges {
                if let description = challenge["error_description"] {
                    append(description, to: &evidence)
                    if evidence.errorDescription == nil { evidence.errorDescription = description }
                }
                if evidence.oauthError == nil, let error = challenge["error"] { evidence.oauthError = error }
            }
        }
        if let retry = headers.value("Retry-After") {
            evidence.retryAfter = retry
            evidence.facts.insert(.retryAfter)
        }
        for header in headers {
            let lower = header.name.lowercased()
            if lower.hasPrefix("x-ratelimit") || lower.hasPrefix("ratelimit") || lower == "x-rate-limit-remaining" || lower == "sforce-limit-info" {
                evidence.rateLimit[header.name] = header.value
            }
            if ["x-request-id", "request-id", "x-amzn-requestid", "x-ms-request-id", "client-request-id", "x-correlation-id", "x-github-request-id", "x-trace-id", "traceparent", "x-b3-traceid", "cf-ray", "x-zendesk-request-id"].contains(lower) {
                evidence.requestIDs.append("\(header.name): \(header.value)")
            }
            if lower == "x-accepted-oauth-scopes" || lower == "x-oauth-scopes" { evidence.scopeHints[header.name] = header.value }
        }
        // GitHub-style scope headers: the scopes an endpoint accepts against the scopes the token has.
        if let accepted = headers.value("X-Accepted-OAuth-Scopes"), let held = headers.value("X-OAuth-Scopes") {
            let split = { (text: String) in text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) }
            let have = Set(split(held))
            let needed = split(accepted)
            if !needed.isEmpty, !needed.contains(where: have.contains) {
                evidence.facts.insert(.scopeNotGranted)
                evidence.extra["scope_missing"] = needed.joined(separator: " ")
                evidence.extra["scope_granted"] = have.sorted().joined(separator: " ")
            }
        }
        for header in headers {
            let lower = header.name.lowercased()
            if lower.hasSuffix("error-message") || lower == "x-error" || lower == "x-error-message" { append(header.value, to: &evidence) }
        }
    }

    func readRedirect(_ location: String, into evidence: inout Evidence) {
        guard let components = URLComponents(string: location) else { return }
        let parameters = FormEncoding.decode(components.query ?? "").merging(FormEncoding.decode(components.fragment ?? "")) { a, _ in a }
        if let error = parameters["error"] {
            evidence.oauthError = evidence.oauthError ?? error
            if let description = parameters["error_description"] {
                evidence.errorDescription = evidence.errorDescription ?? description
                append(description, to: &evidence)
            }
        }
    }

    func readBody(_ rawBody: String, contentType: String?, into evidence: inout Evidence) {
        let body = rawBody.utf8.count > Self.bodyLimit ? String(decoding: Array(rawBody.utf8.prefix(Self.bodyLimit)), as: UTF8.self) : rawBody
        evidence.body = body
        let type = (contentType ?? "").lowercased()
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if type.contains("json") || trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            if let json = JSONValue.parse(Data(trimmed.utf8)) {
                evidence.json = json
                readJSON(json, into: &evidence)
                return
            }
        }
        let head = trimmed.prefix(16).lowercased()
        if type.contains("html") || head.hasPrefix("<!doctype html") || head.hasPrefix("<html") {
            evidence.isHTML = true
            evidence.facts.insert(.htmlBody)
            if let summary = markup?.summarize(body, html: true) {
                if let title = summary.title, !title.isEmpty { append(title, to: &evidence) }
                if !summary.text.isEmpty { append(String(summary.text.prefix(2000)), to: &evidence) }
            }
            readOAuthErrorInText(body, into: &evidence)
            return
        }
        if type.contains("xml") || trimmed.hasPrefix("<") {
            evidence.isXML = true
            if let summary = markup?.summarize(body, html: false) {
                if let code = summary.faultCode { evidence.vendorCodes.append(code) }
                if let fault = summary.faultString { append(fault, to: &evidence) }
                if summary.faultString == nil, !summary.text.isEmpty { append(String(summary.text.prefix(2000)), to: &evidence) }
            } else {
                // libxml2 refused the document (an entity bomb, broken XML): its raw text is still evidence.
                append(String(trimmed.prefix(2000)), to: &evidence)
            }
            return
        }
        if type.contains("x-www-form-urlencoded") || (trimmed.contains("error=") && !trimmed.contains(" ")) {
            let form = FormEncoding.decode(trimmed)
            if let error = form["error"] {
                evidence.oauthError = error
                evidence.errorDescription = form["error_description"]
                if let description = form["error_description"] { append(description, to: &evidence) }
                return
            }
        }
        if !trimmed.isEmpty {
            append(String(trimmed.prefix(2000)), to: &evidence)
            // Logs wrap the provider's JSON in prose (`Error: {"error":"invalid_auth"}`): read the object inside.
            if evidence.json == nil, let json = Self.embeddedJSON(in: trimmed) {
                evidence.json = json
                readJSON(json, into: &evidence)
            }
            readOAuthErrorInText(trimmed, into: &evidence)
        }
    }

    /// The largest `{...}` in a text that parses as JSON, if any.
    static func embeddedJSON(in text: String) -> JSONValue? {
        guard let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}"), open < close else { return nil }
        let candidate = text[open...close]
        guard candidate.utf8.count <= bodyLimit else { return nil }
        if let json = JSONValue.parse(Data(candidate.utf8)) { return json }
        // Python-style dicts and single quotes are common in logs; try them as JSON once.
        let quoted = candidate.replacingOccurrences(of: "'", with: "\"").replacingOccurrences(of: "None", with: "null")
            .replacingOccurrences(of: "True", with: "true").replacingOccurrences(of: "False", with: "false")
        return JSONValue.parse(Data(quoted.utf8))
    }

    /// Keys whose string values are error text, in the shapes providers use.
    static let messageKeys: Set<String> = [
        "message", "msg", "error_description", "errorsummary", "detail", "details", "title", "faultstring", "description",
        "reason", "error_message", "errormessage", "error_msg", "hint", "cause", "developermessage", "usermessage",
    ]
    static let codeKeys: Set<String> = ["code", "errorcode", "error_code", "status", "type", "subcode", "error_subcode", "reason", "errorid", "error_id"]

    func readJSON(_ json: JSONValue, into evidence: inout Evidence) {
        if case .object(let object) = json {
            if case .string(let error) = object["error"] ?? .null {
                if Self.looksLikeCode(error) {
                    evidence.oauthError = error
                } else {
                    append(error, to: &evidence)
                }
            }
            if let description = object["error_description"]?.stringValue { evidence.errorDescription = description }
            // Slack: {"ok": false, "error": "missing_scope", "needed": "...", "provided": "..."}
            for key in ["needed", "provided"] { if let value = object[key]?.stringValue { evidence.scopeHints[key] = value } }
        }
        walk(json, key: nil, depth: 0, into: &evidence)
        // A pasted body without its status line often repeats the status inside (`"code": 403`,
        // `"status": 401`, `"error": {"code": 429}`): use it when nothing better is known.
        if evidence.status == nil {
            for path in ["status", "code", "statusCode", "error.code", "error.status", "status.code", "httpStatus", "errors[0].status"] {
                if let value = JSONPath.values(path, in: json).first?.numberValue, value == value.rounded(), (400...599).contains(Int(value)) {
                    evidence.status = Int(value)
                    break
                }
            }
        }
    }

    private func walk(_ value: JSONValue, key: String?, depth: Int, into evidence: inout Evidence) {
        guard depth < 12 else { return }
        switch value {
        case .object(let object):
            for (name, child) in object.sorted(by: { $0.key < $1.key }) { walk(child, key: name, depth: depth + 1, into: &evidence) }
        case .array(let items):
            for item in items.prefix(20) { walk(item, key: key, depth: depth + 1, into: &evidence) }
        case .string(let text):
            guard let key = key?.lowercased(), !text.isEmpty else { return }
            if Self.messageKeys.contains(key) || (key == "error" && !Self.looksLikeCode(text)) {
                append(text, to: &evidence)
            } else if Self.codeKeys.contains(key) || key == "error" {
                if Self.looksLikeCode(text) || text.allSatisfy({ $0.isUppercase || $0 == "_" || $0.isNumber }) { evidence.vendorCodes.append(text) }
            } else if key.contains("request") && key.contains("id") || key == "trace_id" || key == "correlation_id" || key == "traceid" {
                evidence.requestIDs.append("\(key): \(text)")
            }
        case .number(let number):
            if let key = key?.lowercased(), Self.codeKeys.contains(key), key != "status" || evidence.status == nil {
                evidence.vendorCodes.append(String(Int(number)))
            }
        default:
            break
        }
    }

    /// `invalid_grant`, `INVALID_SESSION_ID`, `E0000011`, `missing_scope`: identifiers, not prose.
    static func looksLikeCode(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 64, !text.contains(" ") else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }
    }

    func append(_ message: String, to evidence: inout Evidence) {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !evidence.messages.contains(trimmed) else { return }
        evidence.messages.append(trimmed)
    }

    static let oauthErrorPatterns: [Pattern] = [
        Pattern(literal: #""error"\s*:\s*"([a-z][a-z0-9_]{2,60})""#),
        Pattern(literal: #"[?&#]error=([a-z][a-z0-9_]{2,60})"#),
        Pattern(literal: #"\berror(?:_code)?\s*[:=]\s*['"]?([a-z][a-z0-9]*_[a-z0-9_]{2,60})"#),
        Pattern(literal: #"(?:^|\n)\s*([a-z]+_[a-z_]{3,40})\s*[:(]"#),
        Pattern(literal: #"\b(invalid_grant|invalid_client|invalid_scope|invalid_request|invalid_token|unauthorized_client|unsupported_grant_type|access_denied|insufficient_scope|interaction_required|login_required|consent_required|redirect_uri_mismatch|temporarily_unavailable|server_error)\b"#, caseInsensitive: false),
    ]

    func readOAuthErrorInText(_ text: String, into evidence: inout Evidence) {
        guard evidence.oauthError == nil else { return }
        for pattern in Self.oauthErrorPatterns {
            if let code = pattern.firstMatch(in: text), Self.knownOAuthErrors.contains(code) || pattern.source.hasPrefix(#""error""#) {
                evidence.oauthError = code
                return
            }
        }
    }

    static let knownOAuthErrors: Set<String> = [
        "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope",
        "access_denied", "unsupported_response_type", "server_error", "temporarily_unavailable", "invalid_token", "insufficient_scope",
        "interaction_required", "login_required", "consent_required", "account_selection_required", "invalid_request_uri",
        "invalid_request_object", "redirect_uri_mismatch", "invalid_redirect_uri", "invalid_client_id", "invalid_rapt",
        "mfa_required", "expired_token", "slow_down", "authorization_pending", "invalid_dpop_proof", "use_dpop_nonce",
    ]

    static let vendorCodePatterns: [Pattern] = [
        Pattern(literal: #"\bAADSTS\d{4,9}\b"#, caseInsensitive: false),
        Pattern(literal: #"\bE0000\d{3}\b"#, caseInsensitive: false),
        Pattern(literal: #"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+){1,6}\b"#, caseInsensitive: false),
        Pattern(literal: #"\bnet::ERR_[A-Z_]+\b"#, caseInsensitive: false),
        Pattern(literal: #"\b(?:ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ECONNRESET|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|CERT_HAS_EXPIRED|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\b"#, caseInsensitive: false),
    ]

    /// Vendor codes inside the messages (`AADSTS700082: ...`, `INVALID_SESSION_ID`), de-duplicated.
    func findCodes(into evidence: inout Evidence) {
        let text = evidence.messageText
        var codes = evidence.vendorCodes
        if !text.isEmpty {
            for pattern in Self.vendorCodePatterns {
                for match in pattern.allMatches(in: text) where !codes.contains(match[0]) { codes.append(match[0]) }
            }
        }
        if let error = evidence.oauthError, !codes.contains(error) { codes.append(error) }
        evidence.vendorCodes = codes
        // Without an error_description, a one-line message stands in for it (a pasted log line);
        // a whole pasted transcript does not.
        if evidence.errorDescription == nil, evidence.oauthError != nil {
            evidence.errorDescription = evidence.messages.first { !$0.contains(where: \.isNewline) }
        }
        if evidence.oauthError == nil { readOAuthErrorInText(text, into: &evidence) }
    }

    // MARK: - Facts from the whole method

    func addClaimFacts(_ claims: JWTClaims, now: Date, into evidence: inout Evidence) {
        if claims.isExpired(at: now) { evidence.facts.insert(.jwtExpired) }
        if claims.isNotYetValid(at: now) { evidence.facts.insert(.jwtNotYetValid) }
        if let exp = claims.expiresAt { evidence.extra["jwt_exp"] = RFC3339.format(exp) }
    }

    func addContextFacts(_ run: MethodRun, exchange: Exchange, now: Date, into evidence: inout Evidence) {
        let context = run.context
        if let claims = context.tokenClaims, exchange.stage == .resource || exchange.stage == .admin { addClaimFacts(claims, now: now, into: &evidence) }
        if let offset = context.clockOffset {
            evidence.extra["clock_offset"] = "\(offset >= 0 ? "+" : "")\(Int(offset)) s"
            if abs(offset) > Self.clockSkewTolerance { evidence.facts.insert(.clockSkewed) }
        }
        let requested = context.requestedScopes ?? []
        let granted = context.grantedScopes
        if !requested.isEmpty { evidence.extra["scope_requested"] = requested.joined(separator: " ") }
        if let granted { evidence.extra["scope_granted"] = granted.isEmpty ? "(none)" : granted.joined(separator: " ") }
        if let granted {
            let missing = requested.filter { !granted.contains($0) }
            if !missing.isEmpty {
                evidence.facts.insert(.scopeNotGranted)
                evidence.extra["scope_missing"] = missing.joined(separator: " ")
            }
        }
        if !context.requiredScopes.isEmpty {
            evidence.extra["scope_required"] = context.requiredScopes.joined(separator: " ")
            let have = Set((granted ?? (run.type.isOAuth ? requested : [])) + (context.tokenClaims?.scopes ?? []))
            let missing = context.requiredScopes.filter { !have.contains($0) }
            if run.type.isOAuth, !missing.isEmpty {
                evidence.facts.insert(.requiredScopeMissing)
                let known = evidence.extra["scope_missing"]?.split(separator: " ").map(String.init) ?? []
                evidence.extra["scope_missing"] = (known + missing.filter { !known.contains($0) }).joined(separator: " ")
            }
        }
        if let history = context.history {
            if let worked = history.lastWorked {
                evidence.facts.insert(.credentialWorkedBefore)
                evidence.extra["last_worked"] = RFC3339.format(worked)
            } else {
                evidence.facts.insert(.credentialNeverWorked)
            }
        } else if !run.type.isOAuth || exchange.stage == .token {
            evidence.facts.insert(.credentialNeverWorked)
        }
        if exchange.stage == .admin, run.exchanges.contains(where: { $0.stage == .resource && $0.succeeded }) { evidence.facts.insert(.resourceOK) }
        if let redirect = context.redirectURI {
            evidence.extra["redirect_uri"] = redirect
            if exchange.stage == .authorize, RedirectURICheck.reportsMismatch(evidence) { evidence.facts.insert(.redirectURIDiffers) }
        }
        evidence.extra["method_id"] = run.id
    }

    /// Seconds the provider's clock may differ from ours before it counts as skew.
    static let clockSkewTolerance: TimeInterval = 120

    /// Words that make a 2xx body worth reading as an error (Slack's 200 {"ok": false}); the body is
    /// lowered once, not once per word.
    static func mayBeErrorDocument(_ body: String) -> Bool {
        let lower = body.lowercased()
        return ["error", "fault", "\"ok\"", "denied", "invalid"].contains { ByteSearch.contains(lower, $0) }
    }

    // MARK: - Text

    /// Evidence from text a person pasted: `curl -i`/`curl -v` output, a log line, an exception, a bare body.
    public func evidence(fromText text: String) -> Evidence {
        evidenceAndKind(fromText: text).evidence
    }

    /// The evidence, and whether the text is `curl -i`/`-v` output (parsed once for both).
    func evidenceAndKind(fromText text: String) -> (evidence: Evidence, isTranscript: Bool) {
        let clipped = text.utf8.count > Self.bodyLimit ? String(decoding: Array(text.utf8.prefix(Self.bodyLimit)), as: UTF8.self) : text
        var evidence = Evidence()
        let transcript = CurlTranscript.parse(clipped)
        evidence.status = transcript.status ?? Self.statusInText(clipped)
        if let url = transcript.url {
            evidence.url = url
            evidence.host = URLComponents(string: url)?.host
        }
        if transcript.requestMethod == "POST", let url = transcript.url, url.lowercased().contains("token") { evidence.stage = .token }
        if let grant = transcript.requestBody.flatMap({ FormEncoding.decode($0)["grant_type"] }) {
            evidence.stage = .token
            evidence.grantType = grant
        }
        evidence.headers = transcript.responseHeaders
        readHeaders(transcript.responseHeaders, into: &evidence)
        if let status = evidence.status, (200..<300).contains(status) { evidence.facts.insert(.success) }
        if let curlError = transcript.curlError { evidence.transport = curlError }
        let body = transcript.body ?? (transcript.isTranscript ? "" : clipped)
        if !body.isEmpty { readBody(body, contentType: evidence.headers.value("Content-Type"), into: &evidence) }
        if evidence.messages.isEmpty, transcript.isTranscript {
            // No words from the provider: a transcript without a body is itself the message (curl's
            // `* SSL certificate problem`); a body that only carried an error code adds nothing.
            if !body.isEmpty {
                if evidence.oauthError == nil { append(String(body.prefix(2000)), to: &evidence) }
            } else if !clipped.isEmpty {
                append(String(clipped.prefix(2000)), to: &evidence)
            }
        }
        if !transcript.isTranscript, !evidence.messages.contains(clipped.trimmingCharacters(in: .whitespacesAndNewlines)) {
            // A pasted message is itself the error text, even when a JSON object was found inside it.
            append(String(clipped.prefix(4000)), to: &evidence)
        }
        if let location = evidence.headers.value("Location") { readRedirect(location, into: &evidence) }
        if transcript.isTranscript == false, let url = Self.firstURL(in: clipped), evidence.host == nil {
            evidence.url = url
            evidence.host = URLComponents(string: url)?.host
        }
        if let authorization = transcript.requestHeaders.value("Authorization"), let token = authorization.split(separator: " ").last,
            let claims = JWTClaims(token: String(token))
        {
            addClaimFacts(claims, now: Date(), into: &evidence)
        }
        readOAuthErrorInText(clipped, into: &evidence)
        findCodes(into: &evidence)
        if evidence.transport == nil, evidence.status == nil, let failure = Self.transportFailureInText(clipped) { evidence.transport = failure }
        return (evidence, transcript.isTranscript)
    }

    static let statusPatterns: [Pattern] = [
        Pattern(literal: #"\bHTTP/[0-9.]+\s+([1-5][0-9]{2})\b"#),
        Pattern(literal: #"\bstatus(?:\s*code)?["']?\s*[:=]?\s*([1-5][0-9]{2})\b"#),
        Pattern(literal: #"\b([1-5][0-9]{2})\s+(?:Unauthorized|Forbidden|Not Found|Too Many Requests|Bad Request|Service Unavailable|Internal Server Error|Bad Gateway|Gateway Timeout|Proxy Authentication Required)\b"#),
        Pattern(literal: #"\((4[0-9]{2}|5[0-9]{2})\)"#),
        Pattern(literal: #"\b(?:HTTP|status)\s+(?:error\s+)?([1-5][0-9]{2})\b"#),
    ]

    static func statusInText(_ text: String) -> Int? {
        for pattern in statusPatterns {
            if let value = pattern.firstMatch(in: text), let status = Int(value) { return status }
        }
        return nil
    }

    static let url = Pattern(literal: #"https?://[^\s"'<>)]+"#)
    static let browserError = Pattern(literal: #"net::ERR_[A-Z_]+"#, caseInsensitive: false)

    static func firstURL(in text: String) -> String? { url.firstMatch(in: text) }

    /// curl's `curl: (6) Could not resolve host: x` and browser `net::ERR_...` messages in pasted text.
    static func transportFailureInText(_ text: String) -> TransportFailure? {
        if let failure = CurlCodes.failure(in: text) { return failure }
        if let code = browserError.firstMatch(in: text) {
            return TransportFailure(code: "BROWSER", message: code)
        }
        return nil
    }
}

/// curl's error numbers and symbolic names (without `CURLE_`): stable across versions, unlike the
/// messages, so rules match on them. Used by the transport and for text that quotes `curl: (N)`.
public enum CurlCodes {
    public static let names: [Int: String] = [
        1: "UNSUPPORTED_PROTOCOL", 2: "FAILED_INIT", 3: "URL_MALFORMAT", 4: "NOT_BUILT_IN", 5: "COULDNT_RESOLVE_PROXY",
        6: "COULDNT_RESOLVE_HOST", 7: "COULDNT_CONNECT", 8: "WEIRD_SERVER_REPLY", 9: "REMOTE_ACCESS_DENIED",
        16: "HTTP2", 18: "PARTIAL_FILE", 22: "HTTP_RETURNED_ERROR", 23: "WRITE_ERROR", 26: "READ_ERROR",
        27: "OUT_OF_MEMORY", 28: "OPERATION_TIMEDOUT", 33: "RANGE_ERROR", 35: "SSL_CONNECT_ERROR",
        42: "ABORTED_BY_CALLBACK", 43: "BAD_FUNCTION_ARGUMENT", 45: "INTERFACE_FAILED", 47: "TOO_MANY_REDIRECTS",
        48: "UNKNOWN_OPTION", 49: "SETOPT_OPTION_SYNTAX", 51: "PEER_FAILED_VERIFICATION", 52: "GOT_NOTHING",
        53: "SSL_ENGINE_NOTFOUND", 54: "SSL_ENGINE_SETFAILED", 55: "SEND_ERROR", 56: "RECV_ERROR", 58: "SSL_CERTPROBLEM",
        59: "SSL_CIPHER", 60: "PEER_FAILED_VERIFICATION", 61: "BAD_CONTENT_ENCODING", 63: "FILESIZE_EXCEEDED",
        65: "SEND_FAIL_REWIND", 66: "SSL_ENGINE_INITFAILED", 67: "LOGIN_DENIED", 77: "SSL_CACERT_BADFILE",
        80: "SSL_SHUTDOWN_FAILED", 81: "AGAIN", 82: "SSL_CRL_BADFILE", 83: "SSL_ISSUER_ERROR", 90: "SSL_PINNEDPUBKEYNOTMATCH",
        91: "SSL_INVALIDCERTSTATUS", 92: "HTTP2_STREAM", 93: "RECURSIVE_API_CALL", 94: "AUTH_ERROR", 95: "HTTP3",
        96: "QUIC_CONNECT_ERROR", 97: "PROXY", 98: "SSL_CLIENTCERT", 99: "UNRECOVERABLE_POLL",
    ]

    public static func name(_ number: Int) -> String { names[number] ?? "CURLE_\(number)" }

    public static func failure(_ number: Int, message: String) -> TransportFailure {
        TransportFailure(code: name(number), number: number, message: message)
    }

    /// curl's own error line, `curl: (6) Could not resolve host: x`, anywhere in `text`.
    public static func failure(in text: String) -> TransportFailure? {
        guard let match = errorLine.allMatches(in: text).first, let number = Int(match[1]) else { return nil }
        return failure(number, message: match[2])
    }

    static let errorLine = Pattern(literal: #"curl: \((\d+)\) ?([^\n]*)"#)
}
