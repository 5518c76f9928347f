import Foundation

/// The parts of `curl -i` or `curl -v` output: the request line and headers (`>`), the response
/// status and headers (`<`, or the bare block of `-i`), the body, and curl's own error line.
struct CurlTranscript {
    var isTranscript = false
    var requestMethod: String?
    var url: String?
    var requestHeaders: [HTTPHeader] = []
    var requestBody: String?
    var status: Int?
    var responseHeaders: [HTTPHeader] = []
    var body: String?
    var curlError: TransportFailure?

    static func parse(_ text: String) -> CurlTranscript {
        var transcript = CurlTranscript()
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var host: String?
        var path: String?
        var port: String?
        var bodyLines: [String] = []
        var inBareHeaders = false
        var afterHeaders = false
        var sawVerbose = false
        // Text that opens with a status line is a response, even one without headers.
        let opensWithStatus = lines.first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }).flatMap(Self.statusLine) != nil
        for line in lines {
            if line.hasPrefix("> ") || line == ">" {
                sawVerbose = true
                let content = String(line.dropFirst(min(2, line.count)))
                if let requestLine = content.split(separator: " ").first, ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(String(requestLine)) {
                    transcript.requestMethod = String(requestLine)
                    path = content.split(separator: " ").dropFirst().first.map(String.init)
                } else if let header = Self.header(content) {
                    transcript.requestHeaders.append(header)
                    if header.name.lowercased() == "host" { host = header.value }
                }
            } else if line.hasPrefix("< ") || line == "<" {
                sawVerbose = true
                let content = String(line.dropFirst(min(2, line.count)))
                if let status = Self.statusLine(content) {
                    transcript.status = status
                    transcript.responseHeaders = []
                } else if let header = Self.header(content) {
                    transcript.responseHeaders.append(header)
                } else if content.isEmpty {
                    afterHeaders = true
                }
            } else if line.hasPrefix("* ") {
                sawVerbose = true
                let content = String(line.dropFirst(2))
                if content.hasPrefix("Connected to "), let match = Self.port.firstMatch(in: content) { port = match }
                if content.lowercased().contains("ssl certificate problem") || content.contains("Could not resolve host") || content.contains("Failed to connect") {
                    transcript.curlError = transcript.curlError ?? Self.curlErrorFromVerbose(content)
                }
            } else if line.hasPrefix("curl: ("), let failure = CurlCodes.failure(in: line) {
                transcript.isTranscript = true
                transcript.curlError = failure
            } else if let status = Self.statusLine(line), !sawVerbose {
                // `curl -i`: a bare status line, headers, a blank line, the body (later blocks win).
                transcript.status = status
                transcript.responseHeaders = []
                inBareHeaders = true
                afterHeaders = false
                bodyLines = []
            } else if inBareHeaders {
                if line.trimmingCharacters(in: .whitespaces).isEmpty {
                    inBareHeaders = false
                    afterHeaders = true
                } else if let header = Self.header(line) {
                    transcript.responseHeaders.append(header)
                }
            } else if afterHeaders || (sawVerbose && transcript.status != nil) {
                bodyLines.append(line)
            } else if sawVerbose, transcript.requestMethod != nil, transcript.status == nil, !line.isEmpty {
                transcript.requestBody = (transcript.requestBody.map { $0 + "\n" } ?? "") + line
            }
        }
        transcript.isTranscript = transcript.isTranscript || sawVerbose || opensWithStatus
            || transcript.status != nil && !transcript.responseHeaders.isEmpty
        if transcript.isTranscript {
            let body = bodyLines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            transcript.body = body.isEmpty ? nil : body
        }
        if let host, let path {
            let scheme = port == "80" ? "http" : "https"
            transcript.url = "\(scheme)://\(host)\(path)"
        } else if let url = Self.commandURL.firstMatch(in: text) {
            transcript.url = url
        }
        return transcript
    }

    static func statusLine(_ line: String) -> Int? {
        guard line.hasPrefix("HTTP/") else { return nil }
        let parts = line.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]), (100...599).contains(status) else { return nil }
        return status
    }

    static func header(_ line: String) -> HTTPHeader? {
        guard let colon = line.firstIndex(of: ":"), colon > line.startIndex else { return nil }
        let name = line[..<colon]
        guard !name.contains(" "), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        return HTTPHeader(String(name), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    static func curlErrorFromVerbose(_ content: String) -> TransportFailure {
        let lower = content.lowercased()
        if lower.contains("could not resolve host") { return CurlCodes.failure(6, message: content) }
        if lower.contains("ssl certificate problem") { return CurlCodes.failure(60, message: content) }
        return CurlCodes.failure(7, message: content)
    }

    static let port = Pattern(literal: #"port (\d+)"#)
    /// The URL of a `curl ...` command line in the text.
    static let commandURL = Pattern(literal: #"\bcurl\b[^\n]*?(https?://[^\s'"]+)"#)
}
