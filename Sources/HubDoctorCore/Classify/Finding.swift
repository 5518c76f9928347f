/// An FAQ entry that answers a finding, by id and title.
public struct FAQReference: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
}

/// What hubdoctor concluded about one exchange or one method.
public struct Finding: Encodable, Sendable, Equatable {
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
}
