import Foundation
import HubDoctorCore
import HubDoctorTestSupport

/// Accuracy of the classifier on the labeled corpus, the confusion between classes, and a
/// status-code-only baseline; `classify-misses` lists each miss of the tuning part with its evidence.
enum ClassifyBenchmark {
    static func run() async throws { try report(showMisses: false) }
    static func misses() async throws { try report(showMisses: true) }

    static func report(showMisses: Bool) throws {
        let cases = try LabeledCorpus.load()
        let (knowledge, classifier, extractor) = (TestKnowledge.base, TestKnowledge.classifier, TestKnowledge.extractor)
        var results: [(LabeledCase, Finding, FailureClass)] = []
        let start = Measure.now()
        for labeled in cases {
            results.append((labeled, try LabeledCorpus.classify(labeled, classifier: classifier, extractor: extractor), LabeledCorpus.statusOnly(labeled, extractor: extractor)))
        }
        let elapsed = Measure.now() - start
        func accuracy(_ subset: [(LabeledCase, Finding, FailureClass)], baseline: Bool = false) -> String {
            let correct = subset.filter { (baseline ? $0.2.rawValue : $0.1.failureClass.rawValue) == $0.0.expect }.count
            return String(format: "%.1f%% (%d/%d)", 100 * Double(correct) / Double(max(1, subset.count)), correct, subset.count)
        }
        let tuning = results.filter { !$0.0.isHeldOut }
        let heldOut = results.filter { $0.0.isHeldOut }
        print("## classify\n")
        print("Labeled corpus: \(cases.count) real failure responses (Tests/Fixtures/labeled), \(knowledge.rules.count) rules; classified in \(Measure.format(elapsed)) ms.\n")
        print(Measure.table([
            ["", "hubdoctor", "status code alone"],
            ["all cases", accuracy(results), accuracy(results, baseline: true)],
            ["tuning part (rules were adjusted on these)", accuracy(tuning), accuracy(tuning, baseline: true)],
            ["held-out part (never tuned on)", accuracy(heldOut), accuracy(heldOut, baseline: true)],
        ]))
        print("\nConfusion (rows: expected, columns: hubdoctor's class; only classes that occur):\n")
        let classes = FailureClass.allCases.filter { failureClass in results.contains { $0.0.expect == failureClass.rawValue || $0.1.failureClass == failureClass } }
        let short = classes.map { abbreviation($0) }
        var rows = [["expected \\ got"] + short + ["n", "recall"]]
        for expected in classes {
            let row = results.filter { $0.0.expect == expected.rawValue }
            guard !row.isEmpty else { continue }
            let counts = classes.map { got in row.filter { $0.1.failureClass == got }.count }
            let recall = Double(row.filter { $0.1.failureClass == expected }.count) / Double(row.count)
            rows.append([expected.rawValue] + counts.map { $0 == 0 ? "." : String($0) } + [String(row.count), String(format: "%.0f%%", recall * 100)])
        }
        print(Measure.table(rows))
        print("\nColumn abbreviations: " + zip(classes, short).map { "\($1)=\($0.rawValue)" }.joined(separator: ", "))
        print("\nStatus-only baseline: 2xx ok; 400 and 401 credentials_rejected; 403 insufficient_permissions; 404 wrong_endpoint; 429 rate_limited; 5xx provider_unavailable; anything else unknown.\n")
        guard showMisses else { return }
        for (labeled, finding, _) in tuning where finding.failureClass.rawValue != labeled.expect {
            print("MISS \(labeled.id) [\(labeled.file ?? "")]: expected \(labeled.expect), got \(finding.failureClass.rawValue) via \(finding.rule ?? "no rule")")
            for line in finding.evidence { print("    \(line)") }
        }
    }

    static func abbreviation(_ failureClass: FailureClass) -> String {
        switch failureClass {
        case .ok: "OK"
        case .credentialsRejected: "CRED"
        case .insufficientScope: "SCOPE"
        case .refreshTokenInvalid: "RTOK"
        case .accessTokenExpired: "ATOK"
        case .insufficientPermissions: "PERM"
        case .wrongAuthScheme: "SCHEME"
        case .redirectURIMismatch: "REDIR"
        case .grantNotAllowed: "GRANT"
        case .interactionRequired: "INTER"
        case .ipNotAllowed: "IP"
        case .rateLimited: "RATE"
        case .providerUnavailable: "DOWN"
        case .wrongEndpoint: "ENDPT"
        case .clockSkew: "CLOCK"
        case .dnsFailure: "DNS"
        case .connectionFailed: "CONN"
        case .tlsError: "TLS"
        case .timeout: "TIME"
        case .unknown: "UNK"
        }
    }
}
