import Foundation

/// Reads a HAR 1.2 file into recorded exchanges, redacted as they are read. Every entry becomes one
/// exchange; a failed request's `_error` (a browser's `net::ERR_...` or a curl message) is its
/// transport failure. The stage is inferred: a POST with `grant_type` is a token call.
public struct HARReader: Sendable {
    public let redactor: Redactor

    public init(redactor: Redactor) { self.redactor = redactor }

    /// Parses HAR text; a file that is not JSON or not a HAR is a data error naming line and field.
    public func read(_ data: Data, name: String) throws -> [Exchange] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw HubDoctorError.data(name, line: Self.line(of: error, in: data), "this is not valid JSON (\(Self.reason(error))); a HAR file is the JSON a browser's \"Save all as HAR\" writes.")
        }
        guard let root = object as? [String: Any] else { throw HubDoctorError.data(name, line: 1, "a HAR file is a JSON object with a 'log' field.") }
        guard let log = root["log"] as? [String: Any] else { throw HubDoctorError.data(name, line: nil, "field 'log' is missing: this JSON is not a HAR file.") }
        guard let entries = log["entries"] as? [Any] else { throw HubDoctorError.data(name, line: nil, "field 'log.entries' is missing or not a list.") }
        // The parsed JSON is only read from here on, by several threads at once.
        nonisolated(unsafe) let shared = entries
        return try ParallelMap.map(count: entries.count) { index in
            guard let entry = shared[index] as? [String: Any] else { throw HubDoctorError.data(name, line: nil, "'log.entries[\(index)]' is not an object.") }
            return try exchange(entry, index: index, name: name)
        }
    }

    func exchange(_ entry: [String: Any], index: Int, name: String) throws -> Exchange {
        let field = "log.entries[\(index)]"
        guard let request = entry["request"] as? [String: Any] else { throw HubDoctorError.data(name, line: nil, "'\(field).request' is missing.") }
        guard let url = request["url"] as? String, !url.isEmpty else { throw HubDoctorError.data(name, line: nil, "'\(field).request.url' is missing.") }
        let method = (request["method"] as? String) ?? "GET"
        let requestHeaders = Self.headers(request["headers"])
        let postData = request["postData"] as? [String: Any]
        let requestBody = postData?["text"] as? String ?? (postData?["params"] as? [[String: Any]]).map { params in
            params.map { "\(($0["name"] as? String) ?? "")=\(($0["value"] as? String) ?? "")" }.joined(separator: "&")
        }
        let response = entry["response"] as? [String: Any]
        let status = (response?["status"] as? NSNumber)?.intValue ?? (response?["status"] as? Int) ?? 0
        let responseHeaders = Self.headers(response?["headers"])
        var body: Data?
        if let content = response?["content"] as? [String: Any], let text = content["text"] as? String {
            body = (content["encoding"] as? String) == "base64" ? (Data(base64Encoded: text) ?? Data(text.utf8)) : Data(text.utf8)
        }
        var failure: TransportFailure?
        if let error = entry["_error"] as? String ?? response?["_error"] as? String, !error.isEmpty {
            failure = Self.failure(error)
        } else if status == 0 {
            failure = TransportFailure(code: "BROWSER", message: "the request got no answer (status 0)")
        }
        let (stage, grant) = Self.stage(method: method, url: url, body: requestBody)
        let started = (entry["startedDateTime"] as? String).flatMap(Self.date) ?? Date(timeIntervalSince1970: 0)
        var raw = RawExchange(
            request: HTTPRequest(method: method, url: url, headers: requestHeaders, body: requestBody.map { Data($0.utf8) }),
            finalURL: url, status: failure == nil ? status : nil, httpVersion: (response?["httpVersion"] as? String) ?? "",
            headers: responseHeaders, body: body.map { $0.prefix(EvidenceExtractor.bodyLimit) } ?? Data(), bodySize: body?.count ?? 0,
            remoteAddress: entry["serverIPAddress"] as? String, timings: Timings(total: (entry["time"] as? NSNumber)?.doubleValue ?? 0),
            failure: failure, startedAt: started)
        raw.sentHeaders = requestHeaders
        // The HAR's bodies are evidence here, not personal data to drop: keep success bodies as `.token` would.
        return ExchangeRecorder(redactor: redactor).record(raw, stage: stage, grantType: grant, keepSuccessBody: true)
    }

    static func headers(_ value: Any?) -> [HTTPHeader] {
        (value as? [[String: Any]] ?? []).compactMap { header in
            guard let name = header["name"] as? String else { return nil }
            return HTTPHeader(name, (header["value"] as? String) ?? "")
        }
    }

    /// A token call is a POST with `grant_type`; an authorize call carries `response_type`.
    static func stage(method: String, url: String, body: String?) -> (Stage, String?) {
        if let body, let grant = FormEncoding.decode(body)["grant_type"] { return (.token, grant) }
        if let body, body.contains("\"grant_type\""), let json = JSONValue.parse(Data(body.utf8)), let grant = json["grant_type"]?.stringValue { return (.token, grant) }
        let lower = url.lowercased()
        if lower.contains("/.well-known/") { return (.discovery, nil) }
        if lower.contains("response_type=") || lower.contains("/authorize") { return (.authorize, nil) }
        if method.uppercased() == "POST", lower.contains("/token") { return (.token, nil) }
        return (.resource, nil)
    }

    /// A HAR entry's `_error`. curl's `curl: (N) ...` keeps curl's name; a browser's `net::ERR_...`
    /// is a `BROWSER` failure with its text, named by the knowledge base's browser rules, as when
    /// the same message is pasted. The original text is kept either way.
    public static func failure(_ text: String) -> TransportFailure {
        if var failure = CurlCodes.failure(in: text) {
            failure.message = text
            return failure
        }
        return TransportFailure(code: "BROWSER", message: text)
    }

    static func date(_ text: String) -> Date? { RFC3339.parse(text) }

    /// The line of a JSON error ("around character 31") in the data; for a file cut short
    /// ("Unexpected end of file"), the line its content ends on.
    static func line(of error: Error, in data: Data) -> Int? {
        let text = ((error as NSError).userInfo["NSDebugDescription"] as? String) ?? "\(error)"
        guard let offset = Pattern(literal: #"character (\d+)"#).firstMatch(in: text).flatMap(Int.init) else {
            guard text.lowercased().contains("end of file") else { return nil }
            var end = data.endIndex
            while end > data.startIndex, [0x20, 0x09, 0x0A, 0x0D].contains(data[data.index(before: end)]) { end = data.index(before: end) }
            return data[..<end].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return data.prefix(offset).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    static func reason(_ error: Error) -> String {
        ((error as NSError).userInfo["NSDebugDescription"] as? String) ?? error.localizedDescription
    }
}
