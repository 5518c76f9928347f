import Foundation
import HubDoctorCore
import Yams

/// The labeled set of real failure responses in Tests/Fixtures/labeled, and how hubdoctor classifies them.
public struct LabeledCase: Decodable, Sendable, CustomTestStringConvertibleShim {
    public struct Request: Decodable, Sendable {
        public var method: String?
        public var url: String?
        public var headers: [String: String]?
        public var body: String?
    }

    public struct Response: Decodable, Sendable {
        public var status: Int
        public var headers: [String: String]?
        public var body: String?
    }

    public struct TransportError: Decodable, Sendable {
        public var code: String?
        public var message: String
    }

    public struct ExchangeFixture: Decodable, Sendable {
        public var stage: String?
        public var grant_type: String?
        public var auth: String?
        public var request: Request?
        public var response: Response?
        public var transport_error: TransportError?
    }

    public var id: String
    public var source: String
    public var expect: String
    public var note: String?
    public var exchange: ExchangeFixture?
    public var text: String?
    public var file: String?

    public var testDescription: String { "\(id) → \(expect)" }

    /// The exchange as hubdoctor would have recorded it (redacted on the way in).
    public func recorded() -> Exchange? {
        guard let exchange else { return nil }
        let requestHeaders = (exchange.request?.headers ?? [:]).sorted { $0.key < $1.key }.map { HTTPHeader($0.key, $0.value) }
        let request = HTTPRequest(
            method: exchange.request?.method ?? "GET", url: exchange.request?.url ?? "https://unknown.invalid/",
            headers: requestHeaders, body: exchange.request?.body.map { Data($0.utf8) })
        var failure: TransportFailure?
        if let error = exchange.transport_error {
            failure = error.code.map { TransportFailure(code: $0, message: error.message) } ?? HARReader.failure(error.message)
        }
        let headers = (exchange.response?.headers ?? [:]).sorted { $0.key < $1.key }.map { HTTPHeader($0.key, $0.value) }
        let body = Data((exchange.response?.body ?? "").utf8)
        let raw = RawExchange(
            request: request, finalURL: request.url, status: failure == nil ? exchange.response?.status : nil, httpVersion: "HTTP/1.1",
            headers: headers, body: body, bodySize: body.count, failure: failure)
        let stage = exchange.stage.flatMap(Stage.init(rawValue:)) ?? .resource
        return ExchangeRecorder(redactor: Redactor()).record(raw, stage: stage, grantType: exchange.grant_type, keepSuccessBody: true)
    }

    public var authType: AuthType? { exchange?.auth.flatMap(AuthType.init(rawValue:)) }

    /// A quarter of the corpus, chosen by a hash of the id, is held out: rules are tuned on the rest
    /// only, so accuracy on this part estimates how well they do on failures nobody tuned for.
    public var isHeldOut: Bool { SHA256.hash(Array(id.utf8))[0] % 4 == 0 }
}

/// Swift Testing's protocol, restated so this support target does not import Testing.
public protocol CustomTestStringConvertibleShim {
    var testDescription: String { get }
}


public enum LabeledCorpus {
    public static func load() throws -> [LabeledCase] {
        struct File: Decodable { let cases: [LabeledCase] }
        let directory = Fixtures.url("labeled")
        var all: [LabeledCase] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".yaml") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            var cases = try YAMLDecoder().decode(File.self, from: text).cases
            for index in cases.indices { cases[index].file = name }
            all += cases
        }
        return all
    }

    /// hubdoctor's class for a case: exchanges through the evidence extractor, text through `explain`.
    public static func classify(_ labeled: LabeledCase, classifier: Classifier, extractor: EvidenceExtractor) throws -> Finding {
        if let exchange = labeled.recorded() {
            var evidence = extractor.evidence(for: exchange)
            evidence.method = labeled.authType
            return classifier.classify(evidence)
        }
        let explanation = try Explainer(classifier: classifier, extractor: extractor).explain(Data((labeled.text ?? "").utf8), name: labeled.id)
        return explanation.entries[0].finding
    }

    /// The naive baseline: the status code alone decides (what "everything is an invalid token" tools do).
    public static func statusOnly(_ labeled: LabeledCase, extractor: EvidenceExtractor) -> FailureClass {
        let status: Int?
        if let exchange = labeled.exchange { status = exchange.response?.status } else { status = extractor.evidence(fromText: labeled.text ?? "").status }
        switch status {
        case .some(200..<300): return .ok
        case .some(400), .some(401): return .credentialsRejected
        case .some(403): return .insufficientPermissions
        case .some(404): return .wrongEndpoint
        case .some(429): return .rateLimited
        case .some(500..<600): return .providerUnavailable
        default: return .unknown
        }
    }
}
