import Foundation

/// One explained exchange. Its finding's keys (the stage among them: the evidence's, which is
/// this exchange's) sit beside `index`, `request` and `status` in the same object.
public struct ExplainedEntry: Encodable, Sendable {
    public var index: Int
    public var finding: Finding
    public var request: String?
    public var status: Int?

    enum CodingKeys: String, CodingKey {
        case index, request, status
    }

    public init(index: Int, finding: Finding, request: String?, status: Int?) {
        self.index = index
        self.finding = finding
        self.request = request
        self.status = status
    }

    public func encode(to encoder: Encoder) throws {
        try finding.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encodeIfPresent(request, forKey: .request)
        try container.encodeIfPresent(status, forKey: .status)
    }
}

public struct Explanation: Encodable, Sendable {
    public enum Input: String, Codable, Sendable {
        case har, curl, text
    }

    public var schema = "hubdoctor.explanation/v1"
    public var input: Input
    public var entries: [ExplainedEntry]

    public var exitCode: Int32 { ExitStatus.forClasses(entries.map(\.finding.failureClass)) }
}

/// `hubdoctor explain`: classifies exchanges that already happened (a HAR, `curl -i`/`-v` output,
/// or a pasted message) with no network. Input is redacted as it is read.
public struct Explainer: Sendable {
    public let classifier: Classifier
    public let extractor: EvidenceExtractor

    public init(classifier: Classifier, extractor: EvidenceExtractor) {
        self.classifier = classifier
        self.extractor = extractor
    }

    public func explain(_ data: Data, name: String, now: Date = Date()) throws -> Explanation {
        let redactor = Redactor()
        if data.isEmpty || data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw HubDoctorError(.usage, "\(name) is empty: give a HAR file, curl -i/-v output, or paste an error message.")
        }
        if data.prefix(8192).contains(0) {
            throw HubDoctorError.data(name, line: nil, "this is binary data, not a HAR file, curl output or an error message.")
        }
        let head = String(decoding: data.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if name.lowercased().hasSuffix(".har") || (head.hasPrefix("{") && head.contains("\"log\"")) {
            let exchanges = try HARReader(redactor: redactor).read(data, name: name)
            // A HAR repeats itself (the same failure, the same healthy call): classification is a pure
            // function of the evidence, so each distinct piece of evidence is classified once.
            final class Memo: @unchecked Sendable {
                let lock = NSLock()
                var findings: [String: Finding] = [:]
            }
            let memo = Memo()
            let entries = try ParallelMap.map(count: exchanges.count) { index in
                let exchange = exchanges[index]
                let evidence = extractor.evidence(for: exchange, now: now)
                let key = evidence.signature
                memo.lock.lock()
                let known = memo.findings[key]
                memo.lock.unlock()
                let finding = known ?? classifier.classify(evidence)
                if known == nil {
                    memo.lock.lock()
                    memo.findings[key] = finding
                    memo.lock.unlock()
                }
                return ExplainedEntry(index: index, finding: finding, request: "\(exchange.request.method) \(exchange.request.url)", status: exchange.status)
            }
            return Explanation(input: .har, entries: entries)
        }
        let text = redactor.redact(String(decoding: data.prefix(EvidenceExtractor.bodyLimit), as: UTF8.self))
        let (evidence, isTranscript) = extractor.evidenceAndKind(fromText: text)
        return Explanation(
            input: isTranscript ? .curl : .text,
            entries: [ExplainedEntry(index: 0, finding: classifier.classify(evidence), request: evidence.url, status: evidence.status)])
    }

    /// For `search`: the failure class a pasted error is classified as, as a boost for its entry
    /// ("invalid_grant" is about refresh tokens even where the words do not say so).
    public func searchBoost(for query: String) -> [String: Double] {
        guard let finding = try? explain(Data(query.utf8), name: "query").entries.first?.finding,
            finding.failureClass != .unknown, finding.failureClass != .ok
        else { return [:] }
        return [finding.failureClass.rawValue: 0.6 * finding.confidence]
    }
}
