import Foundation

/// Names the failure class of an exchange from its evidence and the signature rules of the
/// knowledge base. Precedence (knowledge/README.md): transport first, then status, then body,
/// then status-only fallbacks; within a layer the most specific rule wins, then the most confident.
public struct Classifier: Sendable {
    public let knowledge: KnowledgeBase
    public let markup: MarkupInspector?
    /// Every rule once; layers refer to them by index (copying rules in the hot loop cost more than matching them).
    private let rules: [Rule]
    /// Rule indices grouped by layer, in precedence order, each with its specificity: the keys it
    /// names, plus a half for provider rules, which carry knowledge a generic rule with as many keys lacks.
    private let layers: [[(index: Int, specificity: Double)]]

    public init(knowledge: KnowledgeBase, markup: MarkupInspector?) {
        self.knowledge = knowledge
        self.markup = markup
        let rules = knowledge.rules
        self.rules = rules
        layers = Rule.Precedence.allCases.map { layer in
            rules.indices.filter { rules[$0].precedence == layer }.map { index in
                (index, Double(rules[index].when.givenKeys.count) + (rules[index].pack == "generic" ? 0 : 0.5))
            }
        }
    }

    /// Classifies one exchange's evidence.
    public func classify(_ evidence: Evidence) -> Finding {
        var evidence = evidence
        if evidence.provider == nil {
            // Markers speak about error text; a plain success needs no vendor to be named.
            let quiet = evidence.facts.contains(.success) && evidence.messages.isEmpty && evidence.oauthError == nil
            let headers = quiet ? "" : evidence.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            let text = quiet ? "" : [evidence.messageText, evidence.url ?? "", headers].joined(separator: "\n")
            evidence.provider = knowledge.provider(host: evidence.host, text: text)
        }
        // A provider's pack speaks only for that provider's answers.
        let provider = evidence.provider
        let messageText = evidence.messageText
        for layer in layers {
            let matched = layer.filter { item in
                let rule = rules[item.index]
                return (rule.pack == "generic" || rule.pack == provider) && matches(rule.when, evidence, messageText: messageText)
            }
            guard !matched.isEmpty else { continue }
            // Ties: the rule about the innermost vendor code wins ("AADSTS70002: Error validating credentials.
            // AADSTS50053: ..." is about 50053), then the more confident one.
            let depth = { (rule: Rule) -> Int in
                guard let pattern = rule.when.vendorCode else { return -1 }
                return evidence.vendorCodes.lastIndex(where: pattern.matches) ?? -1
            }
            let best = matched.max { a, b in
                if a.specificity != b.specificity { return a.specificity < b.specificity }
                let (depthA, depthB) = (depth(rules[a.index]), depth(rules[b.index]))
                if depthA != depthB { return depthA < depthB }
                return rules[a.index].confidence < rules[b.index].confidence
            }!
            let bestRule = rules[best.index]
            // Disagreement among equally specific rules lowers confidence; less specific ones are noted only.
            let rivals = matched.filter { rules[$0.index].failureClass != bestRule.failureClass }
            let closeRivals = rivals.filter { $0.specificity >= best.specificity }
            var confidence = bestRule.confidence
            if !closeRivals.isEmpty { confidence *= 0.75 } else if !rivals.isEmpty { confidence *= 0.95 }
            var alternatives: [FailureClass] = []
            for rival in rivals.sorted(by: { $0.specificity > $1.specificity }) where !alternatives.contains(rules[rival.index].failureClass) {
                alternatives.append(rules[rival.index].failureClass)
            }
            return finding(for: bestRule, evidence: evidence, confidence: confidence, alternatives: Array(alternatives.prefix(3)))
        }
        return unknown(evidence)
    }

    func finding(for rule: Rule, evidence: Evidence, confidence: Double, alternatives: [FailureClass]) -> Finding {
        let remediation = rule.remediation.isEmpty ? (knowledge.classEntry(rule.failureClass)?.steps ?? []) : rule.remediation
        var faqIDs = rule.faq
        if !faqIDs.contains(rule.failureClass.rawValue) { faqIDs.append(rule.failureClass.rawValue) }
        var steps = remediation.map { Self.fill($0, evidence) }
        // `hubdoctor login` runs the authorization-code flow; other methods re-check with diagnose instead.
        if let method = evidence.method, method != .oauth2AuthorizationCode {
            steps = steps.map { $0.replacingOccurrences(of: "hubdoctor login CONNECTION.yaml", with: "hubdoctor diagnose CONNECTION.yaml") }
        }
        return Finding(
            failureClass: rule.failureClass, confidence: (confidence * 100).rounded() / 100, summary: Self.sentence(Self.fill(rule.explain, evidence)),
            evidence: evidence.summaryLines, remediation: steps, faq: references(faqIDs),
            rule: rule.id, alternatives: alternatives, stage: evidence.stage)
    }

    func unknown(_ evidence: Evidence) -> Finding {
        let what = evidence.status.map { "answered \($0)" } ?? evidence.transport.map { "failed with \($0.code)" } ?? "gave no recognisable answer"
        return Finding(
            failureClass: .unknown, confidence: 0,
            summary: "No signature matches: \(evidence.host ?? "the provider") \(what). The evidence below is what hubdoctor saw.",
            evidence: evidence.summaryLines, remediation: knowledge.classEntry(.unknown)?.steps ?? [], faq: references(["unknown", "contact-support"]),
            stage: evidence.stage)
    }

    public func references(_ ids: [String]) -> [FAQReference] {
        var seen = Set<String>()
        return ids.compactMap { id in
            guard seen.insert(id).inserted, let entry = knowledge.entry(id: id) else { return nil }
            return FAQReference(id: entry.id, title: entry.title)
        }
    }

    /// A summary starts with a capital, whatever a placeholder put first.
    static func sentence(_ text: String) -> String {
        guard let first = text.first, first.isLowercase else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// What a placeholder reads when the evidence has no value for it and a generic word fits the sentence.
    static let defaults = ["method_id": "ID", "redirect_uri": "the redirect URI", "host": "the provider", "retry_after": "as the provider says"]

    /// Fills `{placeholders}`. A value-less placeholder in parentheses, ` ({message})`, is left out
    /// with its parentheses; elsewhere it reads "(not reported)".
    static func fill(_ template: String, _ evidence: Evidence) -> String {
        guard template.contains("{") else { return template }
        var result = ""
        var index = template.startIndex
        while index < template.endIndex {
            if template[index] == "{", let close = template[index...].firstIndex(of: "}") {
                let name = String(template[template.index(after: index)..<close])
                if name.allSatisfy({ $0.isLetter || $0 == "_" }) {
                    index = template.index(after: close)
                    if let value = evidence.placeholder(name) ?? Self.defaults[name] {
                        result += value
                    } else if result.hasSuffix("("), index < template.endIndex, template[index] == ")" {
                        result.removeLast()
                        if result.hasSuffix(" ") { result.removeLast() }
                        index = template.index(after: index)
                    } else {
                        result += "(not reported)"
                    }
                    continue
                }
            }
            result.append(template[index])
            index = template.index(after: index)
        }
        return result
    }

    // MARK: - Matching

    /// Every condition given must hold; cheap keys are tested first. The joined error text is
    /// computed once per classification, not once per rule.
    func matches(_ condition: RuleCondition, _ evidence: Evidence, messageText: String) -> Bool {
        if let stages = condition.stage, !(evidence.stage.map { stages.contains($0.rawValue) } ?? false) { return false }
        if let statuses = condition.status, !statuses.contains(where: { $0.matches(evidence.status) }) { return false }
        if let errors = condition.oauthError, !(evidence.oauthError.map { error in errors.contains { $0.caseInsensitiveCompare(error) == .orderedSame } } ?? false) { return false }
        if let codes = condition.transport {
            guard let failure = evidence.transport, codes.contains(failure.code.uppercased()) else { return false }
        }
        if let grants = condition.grantType, !(evidence.grantType.map(grants.contains) ?? false) { return false }
        if let methods = condition.method, !(evidence.method.map { methods.contains($0.rawValue) } ?? false) { return false }
        if let providers = condition.provider, !(evidence.provider.map(providers.contains) ?? false) { return false }
        if let hosts = condition.host, !(evidence.host.map { host in hosts.contains { Glob.matches($0, host) } } ?? false) { return false }
        if let facts = condition.fact, !facts.allSatisfy(evidence.facts.contains) { return false }
        if let pattern = condition.vendorCode, !evidence.vendorCodes.contains(where: pattern.matches) { return false }
        if let headers = condition.header {
            for item in headers {
                let values = evidence.headers.values(item.key)
                if values.isEmpty { return false }
                if let pattern = item.pattern, !values.contains(where: pattern.matches) { return false }
            }
        }
        if let challenge = condition.challenge {
            let found = evidence.challenges.contains { candidate in
                challenge.allSatisfy { item in
                    guard let pattern = item.pattern else { return true }
                    return item.key.lowercased() == "scheme" ? pattern.matches(candidate.scheme) : (candidate[item.key].map(pattern.matches) ?? false)
                }
            }
            if !found { return false }
        }
        if let paths = condition.json {
            guard let json = evidence.json else { return false }
            for item in paths {
                guard let pattern = item.pattern, JSONPath.values(item.key, in: json).contains(where: { pattern.matches($0.description) }) else { return false }
            }
        }
        if let pattern = condition.message, messageText.isEmpty || !pattern.matches(messageText) { return false }
        if let pattern = condition.body, !(evidence.body.map(pattern.matches) ?? false) { return false }
        if let expressions = condition.xpath {
            guard let body = evidence.body, evidence.isHTML || evidence.isXML, let markup else { return false }
            for item in expressions {
                guard let pattern = item.pattern, let values = markup.evaluate(item.key, in: body, html: evidence.isHTML), values.contains(where: pattern.matches) else { return false }
            }
        }
        if let negations = condition.not, negations.contains(where: { matches($0, evidence, messageText: messageText) }) { return false }
        return true
    }
}
