import CCurl
import Foundation
import HubDoctorCore

/// The real transport: libcurl, one easy handle per request on its own thread, so requests of
/// different methods run at the same time and a diagnosis takes as long as its slowest method.
///
/// Certificates are always verified. Redirects are followed here, not by curl, so that
/// credential headers are dropped whenever a redirect leaves the origin. Proxies come from the
/// usual environment variables, which libcurl reads itself.
public struct CurlTransport: ProbeTransport {
    public init() {
        CurlTransport.initialize
    }

    /// curl_global_init is not thread-safe; a static let runs it exactly once.
    private static let initialize: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public func perform(_ request: HTTPRequest, options: TransportOptions) async -> RawExchange {
        await withCheckedContinuation { continuation in
            // curl_easy_perform blocks; a thread of its own keeps the cooperative pool free.
            let thread = Thread {
                continuation.resume(returning: CurlTransport.performBlocking(request, options: options))
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Performs the request and its redirects synchronously.
    public static func performBlocking(_ request: HTTPRequest, options: TransportOptions) -> RawExchange {
        _ = initialize
        let started = Date()
        var current = request
        var redirects: [RedirectHop] = []
        var trace: [String] = []
        var elapsed: Double = 0
        var credentialsDropped = false
        while true {
            let remaining = options.timeout - elapsed / 1000
            var hopOptions = options
            hopOptions.timeout = max(remaining, 0.001)
            var result = CurlEasy(request: current, options: hopOptions).perform()
            trace += result.trace
            elapsed += result.timings.total
            if let status = result.status, (300..<400).contains(status), status != 304, current.followRedirects,
                let location = result.redirectURL
            {
                if redirects.count >= options.maxRedirects {
                    result.failure = TransportFailure(
                        code: "TOO_MANY_REDIRECTS", number: 47, message: "Maximum (\(options.maxRedirects)) redirects followed")
                    return finish(result, request: request, redirects: redirects, trace: trace, started: started, elapsed: elapsed)
                }
                let leavesOrigin = !sameOrigin(current.url, location)
                var next = current
                next.url = location
                if leavesOrigin {
                    let before = next.headers.count
                    next.headers.removeAll { current.credentialHeaders.contains($0.name.lowercased()) }
                    credentialsDropped = credentialsDropped || next.headers.count != before
                }
                // RFC 9110 §15.4: 303 always becomes GET; 301/302 turn a POST into GET as browsers do.
                if status == 303 || ((status == 301 || status == 302) && current.method == "POST") {
                    next.method = "GET"
                    next.body = nil
                    next.headers.removeAll { $0.name.lowercased() == "content-type" || $0.name.lowercased() == "content-length" }
                }
                redirects.append(RedirectHop(status: status, from: current.url, to: location, credentialsDropped: leavesOrigin && credentialsDropped))
                current = next
                continue
            }
            var finished = finish(result, request: request, redirects: redirects, trace: trace, started: started, elapsed: elapsed)
            finished.sentHeaders = current.headers
            return finished
        }
    }

    private static func finish(_ result: CurlEasy.Result, request: HTTPRequest, redirects: [RedirectHop], trace: [String], started: Date, elapsed: Double) -> RawExchange {
        var timings = result.timings
        timings.total = elapsed
        return RawExchange(
            request: request, finalURL: result.url, status: result.failure == nil ? result.status : nil, httpVersion: result.httpVersion,
            headers: result.headers, body: result.body, bodySize: result.bodySize, redirects: redirects, remoteAddress: result.remoteAddress,
            timings: timings, tls: result.tls, failure: result.failure, trace: trace, startedAt: started)
    }

    /// Same scheme, host and port (RFC 6454), the rule for keeping credentials on a redirect.
    static func sameOrigin(_ a: String, _ b: String) -> Bool {
        guard let first = URLComponents(string: a), let second = URLComponents(string: b) else { return false }
        func port(_ components: URLComponents) -> Int? { components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80) }
        return first.scheme?.lowercased() == second.scheme?.lowercased() && first.host?.lowercased() == second.host?.lowercased()
            && port(first) == port(second)
    }

    /// libcurl and TLS library versions, for the support bundle's environment.json.
    public static var versionInfo: (curl: String, tls: String) {
        _ = initialize
        guard let info = hd_version_info() else { return ("unknown", "unknown") }
        let curl = info.pointee.version.map { String(cString: $0) } ?? "unknown"
        let tls = info.pointee.ssl_version.map { String(cString: $0) } ?? "none"
        return (curl, tls)
    }
}

/// One curl easy handle for one request: set up, perform, read everything back, free.
final class CurlEasy {
    struct Result {
        var url: String
        var status: Int?
        var httpVersion = ""
        var headers: [HTTPHeader] = []
        var body = Data()
        var bodySize = 0
        var redirectURL: String?
        var remoteAddress: String?
        var timings = Timings(total: 0)
        var tls: TLSInfo?
        var failure: TransportFailure?
        var trace: [String] = []
    }

    private let request: HTTPRequest
    private let options: TransportOptions
    private var body = Data()
    private var bodySize = 0
    private var headerLines: [String] = []
    private var trace: [String] = []

    init(request: HTTPRequest, options: TransportOptions) {
        self.request = request
        self.options = options
    }

    func perform() -> Result {
        guard let handle = curl_easy_init() else {
            return Result(url: request.url, failure: TransportFailure(code: "FAILED_INIT", number: 2, message: "curl_easy_init failed"))
        }
        defer { curl_easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        hd_easy_setopt_string(handle, CURLOPT_URL, request.url)
        hd_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        hd_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        hd_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        hd_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        hd_easy_setopt_long(handle, CURLOPT_CERTINFO, 1)
        hd_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(options.timeout * 1000)))
        hd_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(options.connectTimeout, options.timeout) * 1000)))
        hd_easy_setopt_string(handle, CURLOPT_USERAGENT, "hubdoctor/\(HubDoctorVersion.current) libcurl")
        // Only http and https, also after redirects.
        hd_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        hd_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        if let caFile = options.caFile, let bundle = CurlEasy.combinedBundle(adding: caFile, handle: handle) {
            // The extra CA is trusted beside the system's, never instead of verification.
            bundle.withUnsafeBytes { buffer in
                var blob = curl_blob(data: UnsafeMutableRawPointer(mutating: buffer.baseAddress), len: buffer.count, flags: UInt32(CURL_BLOB_COPY))
                _ = withUnsafeMutablePointer(to: &blob) { hd_easy_setopt_pointer(handle, CURLOPT_CAINFO_BLOB, $0) }
            }
        }

        switch request.method {
        case "GET": hd_easy_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD": hd_easy_setopt_long(handle, CURLOPT_NOBODY, 1)
        default: hd_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }
        let payload = request.body ?? Data()
        if request.body != nil {
            hd_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(payload.count))
        }
        for header in request.headers { headerList = curl_slist_append(headerList, "\(header.name): \(header.value)") }
        // curl adds "Expect: 100-continue" to larger POSTs; providers do not need the round trip.
        headerList = curl_slist_append(headerList, "Expect:")
        hd_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)

        let me = Unmanaged.passUnretained(self).toOpaque()
        hd_easy_setopt_write(handle, CURLOPT_WRITEFUNCTION) { pointer, size, count, userdata in
            let easy = Unmanaged<CurlEasy>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            easy.bodySize += length
            let room = easy.options.bodyCap - easy.body.count
            if room > 0, let pointer { easy.body.append(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: min(room, length)) }
            return length
        }
        hd_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        hd_easy_setopt_write(handle, CURLOPT_HEADERFUNCTION) { pointer, size, count, userdata in
            let easy = Unmanaged<CurlEasy>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            if let pointer {
                let line = String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
                easy.headerLines.append(line.trimmingCharacters(in: .newlines))
            }
            return length
        }
        hd_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
        if options.trace {
            hd_easy_setopt_long(handle, CURLOPT_VERBOSE, 1)
            hd_easy_setopt_debug(handle) { _, type, data, size, userdata in
                let easy = Unmanaged<CurlEasy>.fromOpaque(userdata!).takeUnretainedValue()
                guard let data else { return 0 }
                let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
                let prefix: String
                switch type {
                case CURLINFO_TEXT: prefix = "* "
                case CURLINFO_HEADER_IN: prefix = "< "
                case CURLINFO_HEADER_OUT: prefix = "> "
                default: return 0  // bodies are in the exchange itself
                }
                // curl's header blocks end lines with CRLF, which Swift reads as one Character.
                for line in text.split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    easy.trace.append(prefix + line)
                }
                return 0
            }
            hd_easy_setopt_pointer(handle, CURLOPT_DEBUGDATA, me)
        }

        // curl's own error text ("SSL certificate problem: certificate has expired") is richer than
        // curl_easy_strerror's generic one; it needs a buffer of CURL_ERROR_SIZE bytes during perform.
        let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorText.deallocate() }
        hd_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorText)
        let code: CURLcode = withExtendedLifetime(self) {
            payload.withUnsafeBytes { buffer -> CURLcode in
                if request.body != nil {
                    // POSTFIELDS points at our buffer; it stays alive for the whole perform call.
                    hd_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                }
                return curl_easy_perform(handle)
            }
        }
        if errorText.pointee != 0 { errorBuffer = String(cString: errorText) }
        return collect(handle, code: code)
    }

    private func collect(_ handle: UnsafeMutableRawPointer, code: CURLcode) -> Result {
        var result = Result(url: request.url)
        var status = 0
        hd_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        result.status = status > 0 ? status : nil
        var version = 0
        hd_easy_getinfo_long(handle, CURLINFO_HTTP_VERSION, &version)
        result.httpVersion = switch version {
        case Int(CURL_HTTP_VERSION_1_0): "HTTP/1.0"
        case Int(CURL_HTTP_VERSION_1_1): "HTTP/1.1"
        case Int(CURL_HTTP_VERSION_2_0): "HTTP/2"
        case 30: "HTTP/3"
        default: ""
        }
        result.headers = parseHeaders(headerLines)
        result.body = body
        result.bodySize = bodySize
        var redirect: UnsafeMutablePointer<CChar>?
        if hd_easy_getinfo_string(handle, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK, let redirect {
            result.redirectURL = String(cString: redirect)
        }
        var ip: UnsafeMutablePointer<CChar>?
        var port = 0
        if hd_easy_getinfo_string(handle, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK, let ip, ip.pointee != 0 {
            hd_easy_getinfo_long(handle, CURLINFO_PRIMARY_PORT, &port)
            let address = String(cString: ip)
            result.remoteAddress = address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
        }
        func milliseconds(_ info: CURLINFO) -> Double? {
            var value: curl_off_t = 0
            guard hd_easy_getinfo_off(handle, info, &value) == CURLE_OK, value > 0 else { return nil }
            return Double(value) / 1000  // microseconds
        }
        result.timings = Timings(
            dns: milliseconds(CURLINFO_NAMELOOKUP_TIME_T), connect: milliseconds(CURLINFO_CONNECT_TIME_T),
            tls: milliseconds(CURLINFO_APPCONNECT_TIME_T), firstByte: milliseconds(CURLINFO_STARTTRANSFER_TIME_T),
            total: milliseconds(CURLINFO_TOTAL_TIME_T) ?? 0)
        if request.url.lowercased().hasPrefix("https") { result.tls = tlsInfo(handle, code: code) }
        if code != CURLE_OK {
            let message = String(cString: curl_easy_strerror(code))
            var detail = message
            if let last = trace.last(where: { $0.hasPrefix("* ") }), code != CURLE_OPERATION_TIMEDOUT {
                detail = "\(message): \(last.dropFirst(2))"
            }
            result.failure = TransportFailure(code: CurlCodes.name(Int(code.rawValue)), number: Int(code.rawValue), message: errorBuffer ?? detail)
        }
        result.trace = trace
        return result
    }

    /// The error text curl would print (`Could not resolve host: x.invalid`), richer than curl_easy_strerror.
    private var errorBuffer: String?

    private func parseHeaders(_ lines: [String]) -> [HTTPHeader] {
        // With a proxy CONNECT or 100-continue there are several header blocks; keep the last.
        var headers: [HTTPHeader] = []
        for line in lines {
            if line.hasPrefix("HTTP/") {
                headers = []
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            headers.append(HTTPHeader(name, value))
        }
        return headers
    }

    private func tlsInfo(_ handle: UnsafeMutableRawPointer, code: CURLcode) -> TLSInfo? {
        var verify = 0
        hd_easy_getinfo_long(handle, CURLINFO_SSL_VERIFYRESULT, &verify)
        var info = TLSInfo(verified: code != CURLE_PEER_FAILED_VERIFICATION && verify == 0, verifyResult: verify)
        var certinfo: UnsafeMutablePointer<curl_certinfo>?
        if hd_easy_getinfo_certinfo(handle, &certinfo) == CURLE_OK, let certinfo, certinfo.pointee.num_of_certs > 0,
            let first = certinfo.pointee.certinfo[0]
        {
            var item: UnsafeMutablePointer<curl_slist>? = first
            while let current = item {
                if let data = current.pointee.data {
                    let line = String(cString: data)
                    if let colon = line.firstIndex(of: ":") {
                        let key = line[..<colon]
                        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                        switch key {
                        case "Subject": info.subject = value
                        case "Issuer": info.issuer = value
                        case "Start date": info.notBefore = value
                        case "Expire date": info.expiry = value
                        default: break
                        }
                    }
                }
                item = current.pointee.next
            }
        }
        if code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || (code == CURLE_OPERATION_TIMEDOUT && verify == 0 && info.subject == nil) {
            return nil
        }
        return info
    }

    /// The system CA bundle with `caFile` appended, so a private CA is trusted as well. Read once
    /// per file and process: every request and redirect hop of every method needs it.
    static func combinedBundle(adding caFile: String, handle: UnsafeMutableRawPointer) -> Data? {
        bundleLock.lock()
        defer { bundleLock.unlock() }
        if let known = bundles[caFile] { return known }
        guard let extra = FileManager.default.contents(atPath: caFile) else { return nil }
        var system = Data()
        var defaultPath: UnsafeMutablePointer<CChar>?
        if hd_easy_getinfo_string(handle, CURLINFO_CAINFO, &defaultPath) == CURLE_OK, let defaultPath,
            let contents = FileManager.default.contents(atPath: String(cString: defaultPath))
        {
            system = contents
        }
        let bundle = system + Data("\n".utf8) + extra
        bundles[caFile] = bundle
        return bundle
    }

    private static let bundleLock = NSLock()
    nonisolated(unsafe) private static var bundles: [String: Data] = [:]
}
