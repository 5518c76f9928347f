/// An FAQ entry that answers a finding, by id and title.
public struct FAQReference: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
}

/// What hubdoctor concluded about one exchange or one method.
public struct Finding: Codable, Sendable, Equatable {
    public var failureClass: FailureClass
    /// 0...1; lowered when rules disagree, 0 for `unknown`.
    public var confidence: Double
    /// One line: the cause, with the evidence filled in.
    public var summary: String
    /// The evidence that decided it, as lines a person reads.
    public var evidence: [String]
    /// Steps in order.
    public var remediation: [String]
    public var faq: [FAQReference]
    /// The rule that decided, for support and for rule authors.
    public var rule: String?
    /// Other classes that matching rules named, when they disagreed.
    public var alternatives: [FailureClass]
    /// The step of the flow the decisive exchange belongs to.
    public var stage: Stage?

    public init(
        failureClass: FailureClass, confidence: Double, summary: String, evidence: [String] = [], remediation: [String] = [],
        faq: [FAQReference] = [], rule: String? = nil, alternatives: [FailureClass] = [], stage: Stage? = nil
    ) {
        self.failureClass = failureClass
        self.confidence = confidence
        self.summary = summary
        self.evidence = evidence
        self.remediation = remediation
        self.faq = faq
        self.rule = rule
        self.alternatives = alternatives
        self.stage = stage
    }
}

/// A finding is written flat into the object that holds it (a method's result, an explained
/// entry): the holders encode their own keys into the same keyed container.
extension Finding {
    enum CodingKeys: String, CodingKey {
        case failureClass = "class"
        case confidence, summary, evidence, remediation, faq, rule, alternatives, stage
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            failureClass: try container.decode(FailureClass.self, forKey: .failureClass),
            confidence: try container.decode(Double.self, forKey: .confidence),
            summary: try container.decode(String.self, forKey: .summary),
            evidence: try container.decodeIfPresent([String].self, forKey: .evidence) ?? [],
            remediation: try container.decodeIfPresent([String].self, forKey: .remediation) ?? [],
            faq: try container.decodeIfPresent([FAQReference].self, forKey: .faq) ?? [],
            rule: try container.decodeIfPresent(String.self, forKey: .rule),
            alternatives: try container.decodeIfPresent([FailureClass].self, forKey: .alternatives) ?? [],
            stage: try container.decodeIfPresent(Stage.self, forKey: .stage))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(failureClass, forKey: .failureClass)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(summary, forKey: .summary)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(remediation, forKey: .remediation)
        try container.encode(faq, forKey: .faq)
        try container.encodeIfPresent(rule, forKey: .rule)
        try container.encode(alternatives, forKey: .alternatives)
        try container.encodeIfPresent(stage, forKey: .stage)
    }
}
