import Foundation

/// A file of signature rules: `generic.yaml` or one provider's pack.
public struct RulePack: Sendable, Codable {
    public var provider: String
    public var sources: [String]
    public var rules: [Rule]
    public var path: String
}

/// A signature: when its conditions hold for an exchange's evidence, it names a failure class.
public struct Rule: Sendable, Identifiable, Codable {
    /// Which layer of evidence decides; see knowledge/README.md, "Precedence".
    public enum Precedence: String, Sendable, CaseIterable, Comparable, Codable {
        case transport, status, body, fallback

        var rank: Int { Precedence.allCases.firstIndex(of: self)! }
        public static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rank < rhs.rank }
    }

    public var id: String
    /// The pack it belongs to: `generic`, or the provider whose answers it applies to.
    public var pack: String
    public var failureClass: FailureClass
    public var confidence: Double
    public var when: RuleCondition
    public var explain: String
    public var remediation: [String]
    public var faq: [String]
    public var source: String?
    public var precedence: Precedence
    public var location: SourceLocation
}

/// A regular expression, compiled on first use (a knowledge base has about a thousand; a
/// classification touches a few), matched case-insensitively unless told otherwise.
public struct Pattern: Sendable, CustomStringConvertible, Codable {
    public let source: String
    public let caseInsensitive: Bool
    private let storage: Storage

    /// Holds the compiled expression. NSRegularExpression is immutable once made and safe to share
    /// across threads; the lock only guards its lazy creation.
    final class Storage: @unchecked Sendable {
        let lock = NSLock()
        var compiled: NSRegularExpression?
        var failed = false
    }

    /// Compiles now: a pattern that does not compile is an error (`kb lint` reports it).
    public init(_ source: String, caseInsensitive: Bool = true) throws {
        self.source = source
        self.caseInsensitive = caseInsensitive
        storage = Storage()
        storage.compiled = try NSRegularExpression(pattern: source, options: caseInsensitive ? [.caseInsensitive] : [])
    }

    /// A pattern written in the code itself, known to compile.
    public init(literal source: String, caseInsensitive: Bool = true) {
        // A literal that does not compile is a programming error caught by the first test that uses it.
        try! self.init(source, caseInsensitive: caseInsensitive)
    }

    /// A pattern from a checked cache, compiled when first used.
    init(deferred source: String, caseInsensitive: Bool) {
        self.source = source
        self.caseInsensitive = caseInsensitive
        storage = Storage()
    }

    public var regex: NSRegularExpression? {
        storage.lock.lock()
        defer { storage.lock.unlock() }
        if storage.compiled == nil, !storage.failed {
            storage.compiled = try? NSRegularExpression(pattern: source, options: caseInsensitive ? [.caseInsensitive] : [])
            storage.failed = storage.compiled == nil
        }
        return storage.compiled
    }

    enum CodingKeys: String, CodingKey { case source, caseInsensitive = "i" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(deferred: try container.decode(String.self, forKey: .source), caseInsensitive: try container.decode(Bool.self, forKey: .caseInsensitive))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(caseInsensitive, forKey: .caseInsensitive)
    }

    public func matches(_ text: String) -> Bool {
        guard let regex else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The first match, or its first capture group when the pattern has one.
    public func firstMatch(in text: String) -> String? {
        guard let regex, let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        let range = match.numberOfRanges > 1 && match.range(at: 1).location != NSNotFound ? match.range(at: 1) : match.range
        return Range(range, in: text).map { String(text[$0]) }
    }

    public var description: String { source }

    /// Replaces every match with what `transform` returns for its groups (`[0]` is the whole match;
    /// a group that did not take part is "").
    public func replace(in text: String, _ transform: ([String]) -> String) -> String {
        guard let regex else { return text }
        let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard !matches.isEmpty else { return text }
        var result = ""
        var cursor = text.startIndex
        for match in matches {
            guard let range = Range(match.range, in: text) else { continue }
            result += text[cursor..<range.lowerBound]
            let groups = (0..<match.numberOfRanges).map { index -> String in
                Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
            }
            result += transform(groups)
            cursor = range.upperBound
        }
        result += text[cursor...]
        return result
    }

    /// Every match's groups.
    public func allMatches(in text: String) -> [[String]] {
        guard let regex else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (0..<match.numberOfRanges).map { index in Range(match.range(at: index), in: text).map { String(text[$0]) } ?? "" }
        }
    }

}

/// A status condition: one code, or a class such as `4xx`; `none` for "no answer came".
public enum StatusMatcher: Sendable, Equatable, Codable {
    case code(Int)
    case family(Int)
    case none

    public init?(_ text: String) {
        let lower = text.lowercased()
        if lower == "none" {
            self = .none
        } else if lower.count == 3, lower.hasSuffix("xx"), let first = Int(lower.prefix(1)), (1...5).contains(first) {
            self = .family(first)
        } else if let code = Int(lower), (100...599).contains(code) {
            self = .code(code)
        } else {
            return nil
        }
    }

    public func matches(_ status: Int?) -> Bool {
        switch self {
        case .none: status == nil
        case .code(let code): status == code
        case .family(let family): status.map { $0 / 100 == family } ?? false
        }
    }
}

/// Facts computed from the whole diagnosis, which rules can require.
public enum Fact: String, Sendable, CaseIterable, Codable {
    case jwtExpired = "jwt_expired"
    case jwtNotYetValid = "jwt_not_yet_valid"
    case clockSkewed = "clock_skewed"
    case scopeNotGranted = "scope_not_granted"
    case requiredScopeMissing = "required_scope_missing"
    case redirectURIDiffers = "redirect_uri_differs"
    case credentialWorkedBefore = "credential_worked_before"
    case credentialNeverWorked = "credential_never_worked"
    case resourceOK = "resource_ok"
    case retryAfter = "retry_after"
    case htmlBody = "html_body"
    case success
}

/// A key (parameter, header, JSON path, XPath) with the pattern its value must match.
public struct KeyedPattern: Sendable, Codable {
    public var key: String
    public var pattern: Pattern?

    public init(_ key: String, _ pattern: Pattern?) {
        self.key = key
        self.pattern = pattern
    }
}

/// The `when:` of a rule. Every condition given must hold.
public struct RuleCondition: Sendable, Codable {
    public var stage: [String]?
    public var grantType: [String]?
    public var method: [String]?
    public var provider: [String]?
    public var host: [String]?
    public var status: [StatusMatcher]?
    public var oauthError: [String]?
    public var challenge: [KeyedPattern]?
    /// A nil pattern means "present".
    public var header: [KeyedPattern]?
    public var json: [KeyedPattern]?
    public var xpath: [KeyedPattern]?
    public var message: Pattern?
    public var body: Pattern?
    public var vendorCode: Pattern?
    public var transport: [String]?
    public var fact: [Fact]?
    /// Conditions that must not hold (stored in an array to break the recursion).
    public var not: [RuleCondition]?

    public static let keys = [
        "stage", "grant_type", "method", "provider", "host", "status", "oauth_error", "challenge", "header", "json",
        "xpath", "message", "body", "vendor_code", "transport", "fact", "not",
    ]
    static let contextKeys: Set<String> = ["stage", "grant_type", "method", "provider", "host", "status"]

    /// The keys given, for specificity and the default precedence.
    public var givenKeys: [String] {
        var keys: [String] = []
        if stage != nil { keys.append("stage") }
        if grantType != nil { keys.append("grant_type") }
        if method != nil { keys.append("method") }
        if provider != nil { keys.append("provider") }
        if host != nil { keys.append("host") }
        if status != nil { keys.append("status") }
        if oauthError != nil { keys.append("oauth_error") }
        if let challenge { keys += Array(repeating: "challenge", count: challenge.count) }
        if let header { keys += Array(repeating: "header", count: header.count) }
        if let json { keys += Array(repeating: "json", count: json.count) }
        if let xpath { keys += Array(repeating: "xpath", count: xpath.count) }
        if message != nil { keys.append("message") }
        if body != nil { keys.append("body") }
        if vendorCode != nil { keys.append("vendor_code") }
        if transport != nil { keys.append("transport") }
        if let fact { keys += fact.map(\.rawValue) }
        if let not { keys += not.flatMap(\.givenKeys) }
        return keys
    }

    /// The layer this condition belongs to when the rule does not say.
    public var defaultPrecedence: Rule.Precedence {
        if transport != nil { return .transport }
        let keys = givenKeys
        return keys.allSatisfy(RuleCondition.contextKeys.contains) ? .fallback : .body
    }
}
