import Foundation

/// What libxml2 sees in an XML or HTML body (HubDoctorMarkup provides it; Core stays free of C).
public struct MarkupSummary: Sendable, Equatable {
    public var title: String?
    /// Visible text only: no scripts, styles or entity expansions; capped.
    public var text: String
    public var faultCode: String?
    public var faultString: String?

    public init(title: String?, text: String, faultCode: String? = nil, faultString: String? = nil) {
        self.title = title
        self.text = text
        self.faultCode = faultCode
        self.faultString = faultString
    }
}

public protocol MarkupInspector: Sendable {
    func summarize(_ body: String, html: Bool) -> MarkupSummary?
    /// The text of each node an XPath expression selects; nil when the body or the expression does not parse.
    func evaluate(_ xpath: String, in body: String, html: Bool) -> [String]?
}

/// Typed evidence extracted from one exchange (or from pasted text), which rules match on.
public struct Evidence: Sendable {
    public var stage: Stage?
    public var grantType: String?
    public var method: AuthType?
    public var provider: String?
    public var host: String?
    public var url: String?
    public var status: Int?
    public var oauthError: String?
    public var errorDescription: String?
    public var challenges: [Challenge] = []
    /// Every piece of error text, in the order found.
    public var messages: [String] = []
    public var vendorCodes: [String] = []
    public var headers: [HTTPHeader] = []
    public var body: String?
    public var json: JSONValue?
    public var isHTML = false
    public var isXML = false
    public var transport: TransportFailure?
    public var retryAfter: String?
    public var rateLimit: [String: String] = [:]
    public var requestIDs: [String] = []
    public var facts: Set<Fact> = []
    /// Values for `{placeholders}` beyond the fields above (scopes, clock offset, JWT expiry).
    public var extra: [String: String] = [:]
    /// Slack-style `needed`/`provided` scopes and GitHub-style scope headers.
    public var scopeHints: [String: String] = [:]

    public init() {}

    /// Everything a rule can look at, as one string: equal signatures classify the same.
    public var signature: String {
        var parts: [String] = [
            stage?.rawValue ?? "", grantType ?? "", method?.rawValue ?? "", provider ?? "", host ?? "", url ?? "",
            status.map(String.init) ?? "", oauthError ?? "", errorDescription ?? "", transport.map { "\($0.code) \($0.message)" } ?? "",
            retryAfter ?? "", facts.map(\.rawValue).sorted().joined(separator: ","), body ?? "",
        ]
        parts += messages
        parts += vendorCodes
        parts += headers.map { "\($0.name):\($0.value)" }
        parts += extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return parts.joined(separator: "\u{1}")
    }

    /// All error text joined, for `message` patterns.
    public var messageText: String {
        var parts = messages
        if let transport { parts.append(transport.message) }
        return parts.joined(separator: "\n")
    }

    /// Lines a person reads under a finding: the provider's own words and the facts that decided it.
    public var summaryLines: [String] {
        var lines: [String] = []
        if let transport { lines.append("transport: \(transport.code) — \(transport.message)") }
        if let status { lines.append("status: \(status)\(stage.map { " at the \($0.rawValue) step" } ?? "")\(host.map { " from \($0)" } ?? "")") }
        if let oauthError {
            let label = EvidenceExtractor.knownOAuthErrors.contains(oauthError) ? "OAuth error" : "error"
            lines.append("\(label): \(oauthError)\(errorDescription.map { " — \($0)" } ?? "")")
        }
        for challenge in challenges {
            let parameters = challenge.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ")
            lines.append("WWW-Authenticate: \(challenge.scheme)\(parameters.isEmpty ? "" : " " + parameters)")
        }
        let shown = messages.filter { $0 != errorDescription && $0 != oauthError }.prefix(3)
        for message in shown { lines.append("message: \(message.count > 300 ? String(message.prefix(300)) + "…" : message)") }
        let codes = vendorCodes.filter { $0 != oauthError }
        if !codes.isEmpty { lines.append("vendor code: \(codes.joined(separator: ", "))") }
        if let retryAfter { lines.append("Retry-After: \(retryAfter)") }
        for (name, value) in rateLimit.sorted(by: { $0.key < $1.key }) { lines.append("\(name): \(value)") }
        for (name, value) in scopeHints.sorted(by: { $0.key < $1.key }) { lines.append("\(name): \(value)") }
        if !requestIDs.isEmpty { lines.append("request id: \(requestIDs.joined(separator: ", "))") }
        return lines
    }

    /// The value of a `{placeholder}`.
    public func placeholder(_ name: String) -> String? {
        switch name {
        case "status": status.map(String.init)
        case "oauth_error": oauthError
        case "error_description": errorDescription
        case "message": errorDescription ?? messages.first ?? transport?.message
        case "vendor_code": vendorCodes.first
        case "host": host
        case "url": url
        case "transport_code": transport?.code
        case "transport_message": transport?.message
        case "retry_after": retryAfter
        case "challenge_error": challenges.lazy.compactMap { $0["error"] }.first
        case "request_id": requestIDs.first
        default: extra[name]
        }
    }
}
