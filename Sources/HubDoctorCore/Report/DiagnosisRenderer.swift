import Foundation

/// Renders a diagnosis for a terminal (text), for a ticket (Markdown) or for a script (JSON).
/// Everything it prints was redacted when recorded.
public struct DiagnosisRenderer {
    public var style: TerminalStyle

    public init(style: TerminalStyle) { self.style = style }

    static func mark(_ status: MethodDiagnosis.Status) -> String {
        switch status {
        case .works: "✔"
        case .fails: "✘"
        case .skipped: "–"
        }
    }

    func colored(_ status: MethodDiagnosis.Status, _ text: String) -> String {
        switch status {
        case .works: style.green(text)
        case .fails: style.red(text)
        case .skipped: style.yellow(text)
        }
    }

    // MARK: - Text

    public func text(_ diagnosis: Diagnosis, verbose: Bool = false) -> String {
        var lines: [String] = []
        let connection = diagnosis.connection
        let provider = connection.provider.map { " · provider \($0)" } ?? ""
        lines.append(style.bold("hubdoctor diagnose \(connection.name)") + style.dim(" — \(connection.baseURL)\(provider)"))
        lines.append("")
        let width = diagnosis.methods.map { $0.id.count }.max() ?? 0
        for method in diagnosis.methods {
            let finding = method.finding
            let label = method.id.padding(toLength: width, withPad: " ", startingAt: 0)
            let state = method.status == .works ? "works" : finding.failureClass.rawValue
            lines.append("\(colored(method.status, Self.mark(method.status))) \(style.bold(label))  \(colored(method.status, state))  \(oneLine(finding.summary))")
        }
        for method in diagnosis.methods where method.status != .works || verbose {
            lines.append("")
            lines += details(method, verbose: verbose)
        }
        if !diagnosis.differentials.isEmpty {
            lines.append("")
            lines.append(style.bold("Comparing methods"))
            lines += diagnosis.differentials.map { "  • \($0)" }
        }
        if !diagnosis.warnings.isEmpty {
            lines.append("")
            lines.append(style.yellow("Warnings"))
            lines += diagnosis.warnings.map { "  • \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    func oneLine(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 140 ? String(flat.prefix(139)) + "…" : flat
    }

    func details(_ method: MethodDiagnosis, verbose: Bool) -> [String] {
        let finding = method.finding
        var lines: [String] = []
        let confidence = method.status == .works ? "" : style.dim("  (confidence \(String(format: "%.2f", finding.confidence))\(finding.rule.map { ", rule \($0)" } ?? ""))")
        lines.append(colored(method.status, "\(Self.mark(method.status)) \(method.id)") + style.dim(" (\(method.type.rawValue))") + " — " + style.bold(finding.failureClass.rawValue) + confidence)
        lines.append("  \(finding.summary)")
        if let credential = method.credential { lines.append(style.dim("  credential: \(credential)")) }
        if !finding.alternatives.isEmpty {
            lines.append(style.dim("  other possible classes: \(finding.alternatives.map(\.rawValue).joined(separator: ", "))"))
        }
        let failing = method.status != .works
        lines += findingLines(finding, notes: method.notes, steps: failing, readMore: failing)
        if verbose {
            lines.append("  Exchanges:")
            for exchange in method.records { lines += Self.trace(exchange).map { "    " + $0 } }
        }
        return lines
    }

    /// What the terminal shows under a finding (`diagnose` and `explain` alike): the evidence, the
    /// steps when asked for, notes, and the entries to read.
    public func findingLines(_ finding: Finding, notes: [String] = [], steps: Bool, readMore: Bool) -> [String] {
        var lines: [String] = []
        if !finding.evidence.isEmpty {
            lines.append("  Evidence:")
            lines += finding.evidence.map { "    · \($0)" }
        }
        if steps, !finding.remediation.isEmpty {
            lines.append("  What to do:")
            lines += finding.remediation.enumerated().map { "    \($0.offset + 1). \($0.element)" }
        }
        if !notes.isEmpty {
            lines.append("  Notes:")
            lines += notes.map { "    · \($0)" }
        }
        if readMore, !finding.faq.isEmpty {
            lines.append("  Read more:")
            lines += finding.faq.map { "    \($0.title)  " + style.dim("(hubdoctor kb show \($0.id))") }
        }
        return lines
    }

    /// A `curl -v`-style account of one exchange, from the redacted record.
    public static func trace(_ exchange: Exchange) -> [String] {
        var lines = ["[\(exchange.stage.rawValue)] \(exchange.request.method) \(exchange.request.url)"]
        if let trace = exchange.trace {
            lines += trace
        } else {
            lines += exchange.request.headers.map { "> \($0.name): \($0.value)" }
        }
        if let body = exchange.request.body, !body.isEmpty { lines.append("> (body) \(body)") }
        for hop in exchange.redirects {
            lines.append("* redirect \(hop.status) → \(hop.to)\(hop.credentialsDropped ? " (credentials not sent to the new host)" : "")")
        }
        if let response = exchange.response {
            if exchange.trace == nil {
                lines.append("< \(response.httpVersion.isEmpty ? "HTTP" : response.httpVersion) \(response.status)")
                lines += response.headers.map { "< \($0.name): \($0.value)" }
            }
            if let body = response.body { lines.append("< (body, \(response.bodySize) bytes) \(body.count > 2000 ? String(body.prefix(2000)) + "…" : body)") }
            if let omitted = response.bodyOmitted { lines.append("< (body, \(response.bodySize) bytes) \(omitted)") }
        }
        if let failure = exchange.failure { lines.append("! \(failure.code): \(failure.message)") }
        if let tls = exchange.tls {
            lines.append("* TLS: \(tls.verified ? "verified" : "NOT verified (result \(tls.verifyResult))")\(tls.subject.map { "; subject \($0)" } ?? "")\(tls.issuer.map { "; issuer \($0)" } ?? "")\(tls.expiry.map { "; expires \($0)" } ?? "")")
        }
        let t = exchange.timings
        let phases = [("dns", t.dns), ("connect", t.connect), ("tls", t.tls), ("first byte", t.firstByte)].compactMap { name, value in value.map { "\(name) \(format($0))" } }
        lines.append("* timings (ms): \((phases + ["total \(format(t.total))"]).joined(separator: ", "))\(exchange.remoteAddress.map { "; remote \($0)" } ?? "")")
        return lines
    }

    static func format(_ milliseconds: Double) -> String { String(format: "%.1f", milliseconds) }

    // MARK: - Markdown

    public func markdown(_ diagnosis: Diagnosis) -> String {
        var lines: [String] = []
        let connection = diagnosis.connection
        lines.append("# hubdoctor diagnosis: \(connection.name)")
        lines.append("")
        lines.append("- Base URL: `\(connection.baseURL)`")
        if let provider = connection.provider { lines.append("- Provider: \(provider)") }
        lines.append("- Generated: \(RFC3339.format(diagnosis.generatedAt)) by hubdoctor \(diagnosis.hubdoctor)")
        lines.append("")
        lines.append("| Method | Type | Result | Class | Confidence | Summary |")
        lines.append("|---|---|---|---|---|---|")
        for method in diagnosis.methods {
            let summary = oneLine(method.finding.summary).replacingOccurrences(of: "|", with: "\\|")
            lines.append("| `\(method.id)` | \(method.type.rawValue) | \(Self.mark(method.status)) \(method.status.rawValue) | `\(method.finding.failureClass.rawValue)` | \(String(format: "%.2f", method.finding.confidence)) | \(summary) |")
        }
        for method in diagnosis.methods {
            let finding = method.finding
            lines.append("")
            lines.append("## \(method.id) (\(method.type.rawValue)): \(finding.failureClass.rawValue)")
            lines.append("")
            lines.append(finding.summary)
            if let credential = method.credential { lines += ["", "Credential: `\(credential)`"] }
            if !finding.evidence.isEmpty {
                lines += ["", "**Evidence**", ""]
                lines += finding.evidence.map { "- `\($0.replacingOccurrences(of: "`", with: "'"))`" }
            }
            if method.status != .works, !finding.remediation.isEmpty {
                lines += ["", "**What to do**", ""]
                lines += finding.remediation.enumerated().map { "\($0.offset + 1). \($0.element)" }
            }
            if !method.notes.isEmpty {
                lines += ["", "**Notes**", ""]
                lines += method.notes.map { "- \($0)" }
            }
            if !finding.faq.isEmpty {
                lines += ["", "**Read more**: " + finding.faq.map { "\($0.title) (`hubdoctor kb show \($0.id)`)" }.joined(separator: "; ")]
            }
            lines += ["", "**Exchanges**", "", "| Step | Request | Status | Total ms |", "|---|---|---|---|"]
            lines += method.records.map(Self.markdownRow)
        }
        if !diagnosis.differentials.isEmpty {
            lines += ["", "## Comparing methods", ""]
            lines += diagnosis.differentials.map { "- \($0)" }
        }
        if !diagnosis.warnings.isEmpty {
            lines += ["", "## Warnings", ""]
            lines += diagnosis.warnings.map { "- \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One row of the exchanges table. (A function of its own: Swift 6.3's release optimizer
    /// crashes on this loop written inline.)
    static func markdownRow(_ exchange: Exchange) -> String {
        let status = exchange.status.map(String.init) ?? exchange.failure?.code ?? "-"
        return "| \(exchange.stage.rawValue) | `\(exchange.request.method) \(exchange.request.url)` | \(status) | \(format(exchange.timings.total)) |"
    }

    // MARK: - JSON

    public static func json(_ diagnosis: Diagnosis) throws -> String {
        try JSONOutput.string(diagnosis)
    }
}
