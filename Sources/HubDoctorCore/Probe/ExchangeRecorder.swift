import Foundation

/// Turns what the transport saw into the record everything else uses, redacted on the way in:
/// nothing downstream (report, trace, HAR, bundle) ever holds a secret.
public struct ExchangeRecorder: Sendable {
    public let redactor: Redactor

    public init(redactor: Redactor) { self.redactor = redactor }

    /// - Parameter keepSuccessBody: keep bodies of successful API answers (explaining a HAR someone
    ///   else recorded), redacted; by default they are personal data and left out.
    public func record(_ raw: RawExchange, stage: Stage, grantType: String? = nil, keepSuccessBody: Bool = false) -> Exchange {
        // Tokens received are learned before anything is redacted, so they are removed everywhere.
        if stage == .token || stage == .authorize, let status = raw.status, (200..<300).contains(status) {
            redactor.learnTokens(fromTokenResponse: raw.body)
        }
        if let location = raw.headers.value("Location") {
            let query = URLComponents(string: location)?.query ?? ""
            for (name, value) in FormEncoding.decode(query) where Redactor.isSensitiveName(name) {
                redactor.learn(value, kind: Redactor.kind(forName: name))
            }
        }
        let requestType = raw.request.headers.value("Content-Type")
        let request = RecordedRequest(
            method: raw.request.method, url: redactor.redactURL(raw.request.url),
            headers: raw.request.headers.map(redactor.redactHeader),
            body: raw.request.body.map { redactor.redactBody($0, contentType: requestType) })
        var response: RecordedResponse?
        if let status = raw.status {
            response = RecordedResponse(
                status: status, httpVersion: raw.httpVersion, headers: raw.headers.map(redactor.redactHeader), body: nil,
                bodySize: raw.bodySize, bodyTruncated: raw.bodySize > raw.body.count)
            let signIn = Self.isSignInPage(raw)
            if (stage == .resource || stage == .admin), (200..<300).contains(status), !keepSuccessBody, !signIn {
                response?.bodyOmitted = "successful API response: personal data, left out"
            } else if raw.body.isEmpty {
                response?.body = nil
            } else if Self.isBinary(raw.body) {
                response?.bodyOmitted = "binary body (\(raw.bodySize) bytes) left out"
            } else {
                response?.body = redactor.redactBody(raw.body, contentType: raw.headers.value("Content-Type"))
            }
        }
        return Exchange(
            stage: stage, grantType: grantType, startedAt: raw.startedAt, request: request, response: response,
            redirects: raw.redirects.map {
                RedirectHop(status: $0.status, from: redactor.redactURL($0.from), to: redactor.redactURL($0.to), credentialsDropped: $0.credentialsDropped)
            },
            remoteAddress: raw.remoteAddress, timings: raw.timings, tls: raw.tls,
            failure: raw.failure.map { TransportFailure(code: $0.code, number: $0.number, message: redactor.redact($0.message)) },
            trace: raw.trace.isEmpty ? nil : raw.trace.map(redactor.redact))
    }

    /// An HTML page with a password field: the provider's sign-in form, kept as evidence of a wrong URL or scheme.
    static func isSignInPage(_ raw: RawExchange) -> Bool {
        guard (raw.headers.value("Content-Type") ?? "").lowercased().contains("html") else { return false }
        let text = String(decoding: raw.body.prefix(256 * 1024), as: UTF8.self).lowercased()
        return text.contains("type=\"password\"") || text.contains("type='password'") || text.contains("type=password")
    }

    /// Bodies that are not text: NUL bytes in the first 4 KiB, or a head that is mostly not UTF-8.
    /// A few invalid bytes (a Latin-1 error message, a stray byte) keep a body: it is read with
    /// replacement characters, so its `error` and description still count as evidence.
    static func isBinary(_ data: Data) -> Bool {
        let head = data.prefix(4096)
        if head.contains(0) { return true }
        if String(data: head, encoding: .utf8) != nil || String(data: data, encoding: .utf8) != nil { return false }
        let scalars = String(decoding: head, as: UTF8.self).unicodeScalars
        let unreadable = scalars.filter { $0 == "\u{FFFD}" || ($0.value < 0x20 && !"\t\n\r\u{0C}".unicodeScalars.contains($0)) }.count
        return unreadable * 10 > scalars.count
    }
}
