import Foundation

/// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of recorded exchanges, already redacted.
public enum HARWriter {
    public static func har(_ methods: [MethodDiagnosis]) -> [String: Any] {
        var entries: [[String: Any]] = []
        for method in methods {
            for exchange in method.records { entries.append(entry(exchange, method: method)) }
        }
        return ["log": [
            "version": "1.2", "creator": ["name": "hubdoctor", "version": HubDoctorVersion.current],
            "comment": "Recorded by hubdoctor diagnose. Secrets and personal data are replaced by [redacted:KIND:HASH] markers; bodies of successful API answers are left out.",
            "entries": entries,
        ] as [String: Any]]
    }

    static func entry(_ exchange: Exchange, method: MethodDiagnosis) -> [String: Any] {
        let query = URLComponents(string: exchange.request.url)?.queryItems?.map { ["name": $0.name, "value": $0.value ?? ""] } ?? []
        var request: [String: Any] = [
            "method": exchange.request.method, "url": exchange.request.url, "httpVersion": exchange.response?.httpVersion.nonEmpty ?? "HTTP/1.1",
            "cookies": [[String: Any]](), "headers": exchange.request.headers.map { ["name": $0.name, "value": $0.value] },
            "queryString": query, "headersSize": -1, "bodySize": exchange.request.body?.utf8.count ?? 0,
        ]
        if let body = exchange.request.body {
            request["postData"] = ["mimeType": exchange.request.headers.value("Content-Type") ?? "application/octet-stream", "text": body]
        }
        var content: [String: Any] = ["size": exchange.response?.bodySize ?? 0, "mimeType": exchange.response?.contentType ?? "x-unknown"]
        if let body = exchange.response?.body { content["text"] = body }
        if let omitted = exchange.response?.bodyOmitted { content["comment"] = omitted }
        let response: [String: Any] = [
            "status": exchange.response?.status ?? 0, "statusText": "", "httpVersion": exchange.response?.httpVersion.nonEmpty ?? "",
            "cookies": [[String: Any]](), "headers": (exchange.response?.headers ?? []).map { ["name": $0.name, "value": $0.value] },
            "content": content, "redirectURL": exchange.response?.headers.value("Location") ?? "", "headersSize": -1,
            "bodySize": exchange.response?.bodySize ?? -1,
        ]
        var entry: [String: Any] = [
            "startedDateTime": RFC3339.format(exchange.startedAt, milliseconds: true), "time": exchange.timings.total, "request": request,
            "response": response, "cache": [String: Any](), "timings": timings(exchange.timings),
            "comment": "\(method.id) (\(method.type.rawValue)), \(exchange.stage.rawValue) step",
            "_hubdoctor": hubdoctorFields(exchange, method: method),
        ]
        if let address = exchange.remoteAddress { entry["serverIPAddress"] = address }
        if let failure = exchange.failure { entry["_error"] = "\(failure.code): \(failure.message)" }
        return entry
    }

    static func hubdoctorFields(_ exchange: Exchange, method: MethodDiagnosis) -> [String: Any] {
        var fields: [String: Any] = ["method": method.id, "auth_type": method.type.rawValue, "stage": exchange.stage.rawValue]
        if let grant = exchange.grantType { fields["grant_type"] = grant }
        if let tls = exchange.tls {
            var tlsFields: [String: Any] = ["verified": tls.verified, "verify_result": tls.verifyResult]
            if let subject = tls.subject { tlsFields["subject"] = subject }
            if let issuer = tls.issuer { tlsFields["issuer"] = issuer }
            if let notBefore = tls.notBefore { tlsFields["not_before"] = notBefore }
            if let expiry = tls.expiry { tlsFields["expiry"] = expiry }
            fields["tls"] = tlsFields
        }
        if !exchange.redirects.isEmpty {
            fields["redirects"] = exchange.redirects.map { ["status": $0.status, "from": $0.from, "to": $0.to, "credentials_dropped": $0.credentialsDropped] }
        }
        return fields
    }

    /// curl's cumulative phase times turned into HAR's per-phase durations (-1 when not measured).
    static func timings(_ timings: Timings) -> [String: Any] {
        let dns = timings.dns ?? -1
        let connected = timings.connect ?? 0
        let connect = timings.connect.map { $0 - (timings.dns ?? 0) } ?? -1
        let ssl = timings.tls.map { max(0, $0 - connected) } ?? -1
        let ready = timings.tls ?? timings.connect ?? 0
        let wait = timings.firstByte.map { max(0, $0 - ready) } ?? -1
        let receive = timings.firstByte.map { max(0, timings.total - $0) } ?? 0
        // HAR: "ssl ... is also included in the connect field".
        return ["blocked": -1, "dns": dns, "connect": connect < 0 ? -1 : connect, "ssl": ssl, "send": 0, "wait": wait, "receive": receive]
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
