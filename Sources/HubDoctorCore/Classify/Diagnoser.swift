import Foundation

/// Turns probed methods into a diagnosis: the decisive exchange of each method is classified,
/// and methods are compared with each other.
public struct Diagnoser: Sendable {
    public let classifier: Classifier
    public let extractor: EvidenceExtractor

    public init(classifier: Classifier, extractor: EvidenceExtractor) {
        self.classifier = classifier
        self.extractor = extractor
    }

    public func diagnose(_ connection: Connection, runs: [MethodRun], provider: String?, now: Date = Date()) -> Diagnosis {
        let methods = runs.map { diagnose($0, connection: connection, now: now) }
        return Diagnosis(
            connection: .init(name: connection.name, baseURL: connection.baseURL, file: connection.file, provider: provider),
            methods: methods, differentials: Self.differentials(methods), warnings: connection.warnings, generatedAt: now)
    }

    /// The exchange that decides a method: the first step of its flow that failed.
    static func decisive(_ run: MethodRun) -> Exchange? {
        for stage in [Stage.token, .resource, .admin] {
            if let exchange = run.exchanges.first(where: { $0.stage == stage && !$0.succeeded }) { return exchange }
        }
        // The authorize preflight matters when it reports an error (a rejected redirect URI, an unknown client).
        if let authorize = run.exchanges.first(where: { $0.stage == .authorize }), authorizeFailed(authorize) { return authorize }
        return nil
    }

    static func authorizeFailed(_ exchange: Exchange) -> Bool {
        if exchange.failure != nil { return true }
        guard let response = exchange.response else { return false }
        if response.status >= 400 { return true }
        if let location = response.headers.value("Location"), let query = URLComponents(string: location)?.query, FormEncoding.decode(query)["error"] != nil { return true }
        return false
    }

    public func diagnose(_ run: MethodRun, connection: Connection, now: Date = Date()) -> MethodDiagnosis {
        var notes = run.context.notes
        var finding: Finding
        var status = MethodDiagnosis.Status.fails
        if let exchange = Self.decisive(run) {
            let evidence = extractor.evidence(for: exchange, in: run, now: now)
            // A scheme that worked on retry explains the failed resource probe.
            if let scheme = run.context.workingScheme, exchange.stage == .resource {
                finding = schemeFinding(run, scheme: scheme, evidence: evidence)
            } else {
                finding = classifier.classify(evidence)
            }
            if exchange.stage == .authorize, finding.failureClass == .redirectURIMismatch, let sent = run.context.redirectURI {
                let mentioned = RedirectURICheck.urisMentioned(in: evidence.messageText, excluding: sent)
                if let expected = mentioned.first {
                    let differences = RedirectURICheck.differences(sent: sent, expected: expected)
                    finding.evidence.append("redirect_uri sent: \(sent)")
                    finding.evidence.append("the provider names: \(expected)")
                    finding.evidence += differences.map { "difference: \($0)" }
                } else {
                    finding.evidence.append("redirect_uri sent: \(sent)")
                }
            }
            if finding.failureClass == .ok { status = .works }
        } else if let skipped = run.context.skipped {
            status = .skipped
            finding = Finding(
                failureClass: .refreshTokenInvalid, confidence: 1, summary: "Not probed: \(skipped).",
                evidence: ["refresh_token: not set in the connection file"],
                remediation: ["Run `hubdoctor login \(connection.file) --only \(run.id)` to authorize and store a refresh token.",
                              "Run `hubdoctor diagnose \(connection.file) --only \(run.id)` again."],
                faq: classifier.references(["oauth2-authorization-code", "missing-refresh-token", "refresh_token_invalid"]))
        } else {
            status = .works
            let last = run.exchanges.last { $0.stage == .resource } ?? run.exchanges.last
            let evidence = last.map { extractor.evidence(for: $0, in: run, now: now) } ?? Evidence()
            finding = classifier.classify(evidence)
            if finding.failureClass != .ok {
                finding = Finding(failureClass: .ok, confidence: 1, summary: "Every step answered with success.", evidence: evidence.summaryLines, faq: classifier.references(["ok"]))
            }
        }
        if finding.failureClass == .credentialsRejected, status == .fails { addHistory(run, to: &finding) }
        if let offset = run.context.clockOffset, abs(offset) > EvidenceExtractor.clockSkewTolerance, finding.failureClass != .clockSkew {
            notes.append("the provider's clock differs from this machine's by \(Int(offset)) s")
        }
        if let saved = run.context.rotatedTokenSavedTo, !notes.contains(where: { $0.contains(saved) }) {
            notes.append("the rotated refresh token was saved to \(saved)")
        }
        if let granted = run.context.grantedScopes, let requested = run.context.requestedScopes {
            let missing = requested.filter { !granted.contains($0) }
            finding.evidence.append("scopes requested: \(requested.joined(separator: " ")); granted: \(granted.isEmpty ? "(none)" : granted.joined(separator: " "))\(missing.isEmpty ? "" : "; missing: \(missing.joined(separator: " "))")")
        }
        if let claims = run.context.tokenClaims, let exp = claims.expiresAt {
            let scopes = claims.scopes.map { "; scope \($0.isEmpty ? "(none)" : $0.joined(separator: " "))" } ?? ""
            finding.evidence.append("access token (JWT, not verified): expires \(RFC3339.format(exp))\(scopes)")
        }
        return MethodDiagnosis(id: run.id, type: run.type, status: status, finding: finding, credential: run.context.credential, notes: notes, records: run.exchanges)
    }

    /// A rejected credential that worked here before was rotated or revoked upstream; one that never
    /// worked here is probably wrong. Whichever rule named the class, the history says which.
    func addHistory(_ run: MethodRun, to finding: inout Finding) {
        if let worked = run.context.history?.lastWorked {
            finding.summary += " This credential worked here on \(RFC3339.formatDay(worked)) and is now rejected: it was most likely rotated or revoked upstream (a new key, a changed password, a removed user)."
            finding.evidence.append("history: last worked \(RFC3339.format(worked)) (salted fingerprint, the secret is not stored)")
            finding.remediation.insert("Ask whoever administers the provider account whether the key or password was rotated, or the user removed, since \(RFC3339.formatDay(worked)); get the current one.", at: 0)
            finding.faq = classifier.references(["reconnect-after-credential-change"] + finding.faq.map(\.id))
        } else {
            finding.summary += " This credential has never worked here: it is more likely wrong (a typo, another environment's or account's key) than rotated."
            finding.evidence.append("history: never seen working on this machine")
            finding.faq = classifier.references(finding.faq.map(\.id) + ["reconnect-after-credential-change"])
        }
    }

    func schemeFinding(_ run: MethodRun, scheme: String, evidence: Evidence) -> Finding {
        let fix = run.context.schemeFix ?? scheme
        return Finding(
            failureClass: .wrongAuthScheme, confidence: 0.95,
            summary: "The configured way of sending the key is refused (\(evidence.status.map(String.init) ?? "no answer")), but the same key works as \(scheme).",
            evidence: evidence.summaryLines + ["the same key sent as \(scheme) was accepted"],
            remediation: [
                "Change auth method '\(run.id)' in the connection file: \(fix).",
                "Run `hubdoctor diagnose CONNECTION.yaml --only \(run.id)` to confirm.",
                "If the StackOne Hub connection was set up with the same header, reconnect it choosing the scheme the connection guide names.",
            ],
            faq: classifier.references(["wrong_auth_scheme", "api-key-auth"]), rule: "hubdoctor.scheme-trial", stage: .resource)
    }

    /// What comparing methods says about where the fault lies.
    static func differentials(_ methods: [MethodDiagnosis]) -> [String] {
        guard methods.count > 1 else { return [] }
        var lines: [String] = []
        let working = methods.filter { $0.status == .works }
        let failing = methods.filter { $0.status == .fails }
        if !working.isEmpty, !failing.isEmpty {
            let names = working.map(\.id).joined(separator: ", ")
            lines.append("\(names) work\(working.count == 1 ? "s" : ""), so the provider, the network path and TLS are fine; each failure below is about that method's own credential, grant or rights.")
            for method in failing where method.finding.failureClass == .insufficientScope {
                if let other = working.first(where: { !$0.type.isOAuth }) {
                    lines.append("\(other.id) works but \(method.id) lacks a scope: the account can read the data; the OAuth grant must include the missing scope.")
                }
            }
        }
        let transportClasses = Set(failing.map(\.finding.failureClass).filter(\.isTransport))
        if failing.count == methods.count, transportClasses.count == 1, failing.allSatisfy({ $0.finding.failureClass.isTransport }) {
            lines.append("Every method fails the same way (\(transportClasses.first!.rawValue)): the problem is between this machine and the provider, not the credentials.")
        }
        for method in methods where method.finding.failureClass == .insufficientPermissions && method.finding.stage == .admin {
            lines.append("\(method.id): the ordinary probe works but admin_path is refused: the credential is valid and lacks an admin right.")
        }
        return lines
    }
}
