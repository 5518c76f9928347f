import Foundation
import HubDoctorCore
import HubDoctorMarkup
import HubDoctorTestSupport
import Testing

/// The classifier against real failure responses from public pages, each labeled by hand.
@Suite struct ClassificationAccuracyTests {
    static let cases: [LabeledCase] = (try? LabeledCorpus.load()) ?? []
    static let knowledge = TestKnowledge.base
    static let classifier = TestKnowledge.classifier
    static let extractor = TestKnowledge.extractor

    @Test func corpusIsLargeCitedAndCoversEveryClass() throws {
        #expect(Self.cases.count >= 150)
        #expect(Set(Self.cases.map(\.id)).count == Self.cases.count, "ids must be unique")
        for labeled in Self.cases {
            #expect(labeled.source.hasPrefix("https://") || labeled.source.hasPrefix("http://"), "\(labeled.id) cites no page")
            #expect(FailureClass(rawValue: labeled.expect) != nil, "\(labeled.id): unknown class \(labeled.expect)")
            #expect((labeled.exchange == nil) != (labeled.text == nil), "\(labeled.id): give an exchange or a text")
        }
        for failureClass in FailureClass.allCases where failureClass != .unknown && failureClass != .ok {
            let count = Self.cases.filter { $0.expect == failureClass.rawValue }.count
            #expect(count >= 5, "\(failureClass.rawValue) has \(count) cases")
        }
    }

    @Test func accuracyIsAtLeastNinetyPercent() throws {
        var correct = 0
        var misses: [String] = []
        for labeled in Self.cases {
            let finding = try LabeledCorpus.classify(labeled, classifier: Self.classifier, extractor: Self.extractor)
            if finding.failureClass.rawValue == labeled.expect {
                correct += 1
            } else {
                misses.append("\(labeled.id): expected \(labeled.expect), got \(finding.failureClass.rawValue) (\(finding.rule ?? "no rule"))")
            }
        }
        let accuracy = Double(correct) / Double(Self.cases.count)
        #expect(accuracy >= 0.90, "accuracy \(accuracy) (\(correct)/\(Self.cases.count)); misses:\n\(misses.joined(separator: "\n"))")
    }

    @Test func successIsNeverAFailure() throws {
        let successes = Self.cases.filter { $0.expect == "ok" }
        #expect(successes.count >= 5)
        for labeled in successes {
            let finding = try LabeledCorpus.classify(labeled, classifier: Self.classifier, extractor: Self.extractor)
            #expect(finding.failureClass == .ok, "\(labeled.id) classified \(finding.failureClass.rawValue)")
        }
        // Any 2xx without an error document is ok, whatever else it carries: read as an exchange,
        // through the extractor, with a challenge header that alone would suggest an expired token.
        for status in [200, 201, 204] {
            let response = RecordedResponse(
                status: status, httpVersion: "HTTP/1.1",
                headers: [HTTPHeader("WWW-Authenticate", #"Bearer error="invalid_token""#), HTTPHeader("Content-Type", "application/json")],
                body: #"{"employees":[]}"#, bodySize: 16)
            let exchange = Exchange(
                stage: .resource, request: RecordedRequest(method: "GET", url: "https://api.example.com/v1/employees", headers: [], body: nil), response: response)
            let finding = Self.classifier.classify(Self.extractor.evidence(for: exchange))
            #expect(finding.failureClass == .ok, "\(status) classified \(finding.failureClass.rawValue) via \(finding.rule ?? "no rule")")
        }
    }
}
