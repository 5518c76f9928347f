import Foundation

/// A header as sent or received, order and case kept.
public struct HTTPHeader: Codable, Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HTTPHeader {
    /// The first value of a header, by case-insensitive name.
    public func value(_ name: String) -> String? {
        first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public func values(_ name: String) -> [String] {
        filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }
}

/// Which step of a method's flow an exchange belongs to.
public enum Stage: String, Codable, Sendable, CaseIterable {
    /// A call to the OAuth token endpoint.
    case token
    /// The ordinary probe request with the credential.
    case resource
    /// The `admin_path` probe.
    case admin
    /// The authorization redirect (login).
    case authorize
    /// RFC 8414 / OpenID Connect metadata.
    case discovery
}

/// What the transport is asked to send.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: Data?
    /// Header names that carry credentials: dropped when a redirect leaves the origin.
    public var credentialHeaders: Set<String>
    public var followRedirects: Bool

    public init(method: String, url: String, headers: [HTTPHeader] = [], body: Data? = nil, credentialHeaders: Set<String> = [], followRedirects: Bool = true) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.credentialHeaders = Set(credentialHeaders.map { $0.lowercased() }).union(["authorization", "cookie", "proxy-authorization"])
        self.followRedirects = followRedirects
    }
}

/// Limits and trust for one request.
public struct TransportOptions: Sendable, Equatable {
    /// The whole exchange, redirects included, in seconds.
    public var timeout: Double
    public var connectTimeout: Double
    /// Extra CA certificates to trust beside the system's.
    public var caFile: String?
    /// Response bodies are kept up to this many bytes; the full size is still recorded.
    public var bodyCap: Int
    public var maxRedirects: Int
    /// Keep a `curl -v`-style trace of the exchange (redacted before anyone sees it).
    public var trace: Bool

    public init(timeout: Double = 30, connectTimeout: Double? = nil, caFile: String? = nil, bodyCap: Int = 1 << 20, maxRedirects: Int = 5, trace: Bool = false) {
        self.timeout = timeout
        self.connectTimeout = connectTimeout ?? min(timeout, 10)
        self.caFile = caFile
        self.bodyCap = bodyCap
        self.maxRedirects = maxRedirects
        self.trace = trace
    }
}

/// Phase timings libcurl measures, in milliseconds from the start of the request (cumulative).
public struct Timings: Codable, Sendable, Equatable {
    public var dns: Double?
    public var connect: Double?
    public var tls: Double?
    public var firstByte: Double?
    public var total: Double

    public init(dns: Double? = nil, connect: Double? = nil, tls: Double? = nil, firstByte: Double? = nil, total: Double) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.total = total
    }
}

/// The server certificate and the verification result of an HTTPS exchange.
public struct TLSInfo: Codable, Sendable, Equatable {
    /// True when the chain verified; false when verification failed.
    public var verified: Bool
    /// OpenSSL's verification result code (0 is success).
    public var verifyResult: Int
    public var subject: String?
    public var issuer: String?
    public var notBefore: String?
    public var expiry: String?

    public init(verified: Bool, verifyResult: Int, subject: String? = nil, issuer: String? = nil, notBefore: String? = nil, expiry: String? = nil) {
        self.verified = verified
        self.verifyResult = verifyResult
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.expiry = expiry
    }
}

/// A transport failure: no HTTP answer. `code` is curl's symbolic name (`COULDNT_RESOLVE_HOST`),
/// or a browser's (`net::ERR_NAME_NOT_RESOLVED`) when read from a HAR.
public struct TransportFailure: Codable, Sendable, Equatable {
    public var code: String
    public var number: Int?
    public var message: String

    public init(code: String, number: Int? = nil, message: String) {
        self.code = code
        self.number = number
        self.message = message
    }
}

/// One hop of a redirect chain.
public struct RedirectHop: Codable, Sendable, Equatable {
    public var status: Int
    public var from: String
    public var to: String
    /// True when credential headers were dropped because the redirect left the origin.
    public var credentialsDropped: Bool

    public init(status: Int, from: String, to: String, credentialsDropped: Bool) {
        self.status = status
        self.from = from
        self.to = to
        self.credentialsDropped = credentialsDropped
    }
}

public struct RecordedRequest: Codable, Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: String?

    public init(method: String, url: String, headers: [HTTPHeader], body: String?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct RecordedResponse: Codable, Sendable, Equatable {
    public var status: Int
    public var httpVersion: String
    public var headers: [HTTPHeader]
    /// The body as text, capped; nil when left out (success bodies are personal data) or binary.
    public var body: String?
    /// The full size in bytes, even when the body was capped or left out.
    public var bodySize: Int
    public var bodyTruncated: Bool
    /// Why the body is not here, when it is not ("success body left out: personal data").
    public var bodyOmitted: String?

    public init(status: Int, httpVersion: String, headers: [HTTPHeader], body: String?, bodySize: Int, bodyTruncated: Bool = false, bodyOmitted: String? = nil) {
        self.status = status
        self.httpVersion = httpVersion
        self.headers = headers
        self.body = body
        self.bodySize = bodySize
        self.bodyTruncated = bodyTruncated
        self.bodyOmitted = bodyOmitted
    }

    public var contentType: String? { headers.value("Content-Type") }
}

/// Everything recorded about one request and its answer.
public struct Exchange: Codable, Sendable, Equatable {
    public var stage: Stage
    /// For token calls: `client_credentials`, `authorization_code` or `refresh_token`.
    public var grantType: String?
    public var startedAt: Date
    public var request: RecordedRequest
    public var response: RecordedResponse?
    public var redirects: [RedirectHop]
    public var remoteAddress: String?
    public var timings: Timings
    public var tls: TLSInfo?
    public var failure: TransportFailure?
    /// A `curl -v`-style trace, when asked for.
    public var trace: [String]?

    public init(
        stage: Stage, grantType: String? = nil, startedAt: Date = Date(), request: RecordedRequest, response: RecordedResponse?,
        redirects: [RedirectHop] = [], remoteAddress: String? = nil, timings: Timings = Timings(total: 0), tls: TLSInfo? = nil,
        failure: TransportFailure? = nil, trace: [String]? = nil
    ) {
        self.stage = stage
        self.grantType = grantType
        self.startedAt = startedAt
        self.request = request
        self.response = response
        self.redirects = redirects
        self.remoteAddress = remoteAddress
        self.timings = timings
        self.tls = tls
        self.failure = failure
        self.trace = trace
    }

    public var status: Int? { response?.status }

    /// "HTTP 401", or curl's error name when no answer came.
    public var outcome: String {
        if let status = response?.status { return "HTTP \(status)" }
        return failure?.code ?? "no answer"
    }
    public var succeeded: Bool { (response?.status).map { (200..<300).contains($0) } ?? false }
}

/// What the transport hands back: the exchange with raw bytes, before redaction.
public struct RawExchange: Sendable {
    public var request: HTTPRequest
    public var finalURL: String
    public var status: Int?
    public var httpVersion: String
    public var headers: [HTTPHeader]
    public var body: Data
    public var bodySize: Int
    public var redirects: [RedirectHop]
    public var remoteAddress: String?
    public var timings: Timings
    public var tls: TLSInfo?
    public var failure: TransportFailure?
    public var trace: [String]
    public var startedAt: Date
    /// The headers actually sent on the last hop (credentials may have been dropped on a redirect).
    public var sentHeaders: [HTTPHeader]

    public init(
        request: HTTPRequest, finalURL: String, status: Int?, httpVersion: String = "", headers: [HTTPHeader] = [], body: Data = Data(),
        bodySize: Int = 0, redirects: [RedirectHop] = [], remoteAddress: String? = nil, timings: Timings = Timings(total: 0),
        tls: TLSInfo? = nil, failure: TransportFailure? = nil, trace: [String] = [], startedAt: Date = Date(), sentHeaders: [HTTPHeader]? = nil
    ) {
        self.request = request
        self.finalURL = finalURL
        self.status = status
        self.httpVersion = httpVersion
        self.headers = headers
        self.body = body
        self.bodySize = bodySize
        self.redirects = redirects
        self.remoteAddress = remoteAddress
        self.timings = timings
        self.tls = tls
        self.failure = failure
        self.trace = trace
        self.startedAt = startedAt
        self.sentHeaders = sentHeaders ?? request.headers
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Sends requests. The real one is libcurl (HubDoctorTransport); Core never opens a socket itself.
public protocol ProbeTransport: Sendable {
    func perform(_ request: HTTPRequest, options: TransportOptions) async -> RawExchange
}
