import Foundation

/// `ticket.eml`: an RFC 5322 / MIME message to integrations@stackone.com that a mail client
/// opens as a draft (`X-Unsent: 1`), with the summary in its body and diagnosis.json attached.
public enum TicketWriter {
    public static let recipient = "integrations@stackone.com"

    public static func subject(_ diagnosis: Diagnosis) -> String {
        let failing = diagnosis.methods.filter { $0.status != .works }
        guard let first = failing.first else { return "hubdoctor: \(diagnosis.connection.name) - all methods work" }
        let more = failing.count > 1 ? " (+\(failing.count - 1) more)" : ""
        return "hubdoctor: \(diagnosis.connection.name) - \(first.id) (\(first.type.rawValue)): \(first.finding.failureClass.rawValue)\(more)"
    }

    public static func body(_ diagnosis: Diagnosis) -> String {
        var lines = [
            "Hello StackOne integrations team,", "",
            "hubdoctor diagnosed the connection \"\(diagnosis.connection.name)\" (\(diagnosis.connection.baseURL)) on \(RFC3339.format(diagnosis.generatedAt)).",
            "",
            "Summary:",
        ]
        for method in diagnosis.methods {
            lines.append("- \(method.id) (\(method.type.rawValue)): \(method.status.rawValue), \(method.finding.failureClass.rawValue) - \(method.finding.summary)")
        }
        lines += ["", "What was tried:"]
        for method in diagnosis.methods {
            lines += method.records.map { "- \(method.id): \(triedLine($0))" }
        }
        let ids = diagnosis.methods.flatMap { $0.finding.evidence.filter { $0.hasPrefix("request id:") } }
        lines += ["", "Request and trace ids for the vendor:"]
        lines += ids.isEmpty ? ["- none were returned"] : ids.map { "- \($0.dropFirst("request id: ".count))" }
        if !diagnosis.differentials.isEmpty {
            lines += ["", "Comparing methods:"]
            lines += diagnosis.differentials.map { "- \($0)" }
        }
        lines += [
            "", "The full report, a redacted HAR of every exchange and the environment are in the hubdoctor support bundle;",
            "diagnosis.json is attached. No secret or personal data is included.", "", "Thank you,", "",
        ]
        return lines.joined(separator: "\r\n")
    }

    static func triedLine(_ exchange: Exchange) -> String {
        "\(exchange.stage.rawValue) \(exchange.request.method) \(exchange.request.url) -> \(exchange.outcome) (\(String(format: "%.0f", exchange.timings.total)) ms)"
    }

    /// The whole message, CRLF line endings, base64 attachment.
    public static func message(_ diagnosis: Diagnosis, attachment: Data, date: Date = Date()) -> String {
        let boundary = "hubdoctor-" + SHA256.hash(attachment).prefix(12).hexString
        let messageID = "<\(UUID().uuidString.lowercased())@hubdoctor.invalid>"
        let headers = [
            "From: Your name <you@your-company.example>",
            "To: StackOne Integrations <\(recipient)>",
            "Subject: \(encodedHeader(subject(diagnosis)))",
            "Date: \(HTTPDate.format(date, zone: "+0000"))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "X-Unsent: 1",
            "X-Mailer: hubdoctor \(HubDoctorVersion.current)",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"",
        ]
        let text = Data(body(diagnosis).utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let json = attachment.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        var parts = headers + ["", "This is a MIME message.", "--\(boundary)"]
        parts += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", text, "--\(boundary)"]
        parts += [
            "Content-Type: application/json; name=\"diagnosis.json\"", "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"diagnosis.json\"", "", json, "--\(boundary)--", "",
        ]
        return parts.joined(separator: "\r\n")
    }

    /// RFC 2047 encoding for header text that is not plain ASCII.
    static func encodedHeader(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }) { return text }
        return "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    /// A `mailto:` link with recipient and subject, for the terminal.
    public static func mailto(_ diagnosis: Diagnosis) -> String {
        "mailto:\(recipient)?subject=\(FormEncoding.percentEncode(subject(diagnosis)))"
    }
}
