import Foundation
import HubDoctorCore

#if canImport(Glibc)
import Glibc
#endif

/// A request as a small HTTP/1.1 server reads it.
public struct ServerRequest: Sendable {
    public var method: String
    /// The request target as sent: path and query.
    public var target: String
    public var headers: [HTTPHeader]
    public var body: Data

    public var path: String { String(target.prefix { $0 != "?" }) }

    /// Query parameters, percent-decoded (`+` as space, as forms do).
    public var query: [String: String] {
        guard let mark = target.firstIndex(of: "?") else { return [:] }
        return FormEncoding.decode(String(target[target.index(after: mark)...]))
    }

    /// Form body parameters (`application/x-www-form-urlencoded`).
    public var form: [String: String] { FormEncoding.decode(String(decoding: body, as: UTF8.self)) }

    public func header(_ name: String) -> String? { headers.value(name) }
}

/// What the server sends back.
public struct ServerResponse: Sendable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: Data
    /// Wait this long before answering (slow providers, timeouts).
    public var delay: TimeInterval

    public init(status: Int, headers: [HTTPHeader] = [], body: Data = Data(), delay: TimeInterval = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
    }

    public static func json(_ status: Int, _ object: Any, headers: [HTTPHeader] = []) -> ServerResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return ServerResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")] + headers, body: data)
    }

    public static func text(_ status: Int, _ text: String, type: String = "text/plain; charset=utf-8", headers: [HTTPHeader] = []) -> ServerResponse {
        ServerResponse(status: status, headers: [HTTPHeader("Content-Type", type)] + headers, body: Data(text.utf8))
    }

    public static func redirect(_ location: String, status: Int = 302) -> ServerResponse {
        ServerResponse(status: status, headers: [HTTPHeader("Location", location)])
    }
}

/// One accepted connection's byte stream: plain TCP, or TLS provided by the simulator.
public protocol ServerStream: AnyObject {
    func read(_ buffer: UnsafeMutableRawBufferPointer) -> Int
    func write(_ data: Data) -> Bool
    func close()
}

/// Wraps an accepted socket into a stream (the TLS handshake happens here for HTTPS).
public protocol StreamWrapper: Sendable {
    func wrap(socket: Int32) -> ServerStream?
}

/// Plain TCP.
public struct PlainStreams: StreamWrapper {
    public init() {}
    public func wrap(socket: Int32) -> ServerStream? { SocketStream(socket: socket) }
}

final class SocketStream: ServerStream {
    let socket: Int32
    init(socket: Int32) { self.socket = socket }
    func read(_ buffer: UnsafeMutableRawBufferPointer) -> Int { recv(socket, buffer.baseAddress, buffer.count, 0) }
    func write(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let result = send(socket, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if result <= 0 { return false }
                sent += result
            }
            return true
        }
    }
    func close() {
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }
}

/// A small HTTP/1.1 server on 127.0.0.1: one thread per connection, `Connection: close`.
/// It serves the provider simulator and the loopback redirect of `hubdoctor login` (RFC 8252 §7.3).
public final class LoopbackServer: @unchecked Sendable {
    public typealias Handler = @Sendable (ServerRequest) -> ServerResponse

    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let streams: StreamWrapper
    private let lock = NSLock()
    private var running = true
    private var openSockets: Set<Int32> = []

    /// Binds 127.0.0.1:`port` (0 picks a free port) and starts accepting.
    public init(port: Int = 0, streams: StreamWrapper = PlainStreams(), handler: @escaping Handler) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HubDoctorError(.internalError, "cannot create a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw HubDoctorError(.usage, "cannot listen on 127.0.0.1:\(port): \(reason).")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.listener = fd
        self.handler = handler
        self.streams = streams
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting and closes every open connection.
    public func stop() {
        lock.lock()
        let wasRunning = running
        running = false
        let sockets = openSockets
        openSockets = []
        lock.unlock()
        guard wasRunning else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    private func acceptLoop() {
        while isRunning {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            openSockets.insert(client)
            lock.unlock()
            let thread = Thread { [self] in
                serve(client)
                lock.lock()
                openSockets.remove(client)
                lock.unlock()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func serve(_ socket: Int32) {
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let stream = streams.wrap(socket: socket) else {
            Glibc.close(socket)
            return
        }
        defer { stream.close() }
        guard let request = readRequest(stream) else { return }
        let response = handler(request)
        if response.delay > 0 { Thread.sleep(forTimeInterval: response.delay) }
        guard isRunning || response.delay == 0 else { return }
        _ = stream.write(encode(response, head: request.method == "HEAD"))
    }

    /// Reads the head up to the blank line, then `Content-Length` bytes of body (64 KiB head, 8 MiB body at most).
    private func readRequest(_ stream: ServerStream) -> ServerRequest? {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 16384)
        var headEnd: Range<Data.Index>?
        while headEnd == nil {
            let count = chunk.withUnsafeMutableBytes { stream.read($0) }
            if count <= 0 { return nil }
            data.append(contentsOf: chunk[0..<count])
            headEnd = data.range(of: Data("\r\n\r\n".utf8))
            if data.count > 65536, headEnd == nil { return nil }
        }
        guard let end = headEnd else { return nil }
        let head = String(decoding: data[..<end.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        let headers = lines.compactMap { line -> HTTPHeader? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return HTTPHeader(String(line[..<colon]).trimmingCharacters(in: .whitespaces), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        var body = Data(data[end.upperBound...])
        let length = min(Int(headers.value("Content-Length") ?? "0") ?? 0, 8 << 20)
        while body.count < length {
            let count = chunk.withUnsafeMutableBytes { stream.read($0) }
            if count <= 0 { break }
            body.append(contentsOf: chunk[0..<count])
        }
        return ServerRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body.prefix(length))
    }

    private func encode(_ response: ServerResponse, head: Bool) -> Data {
        var text = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        var headers = response.headers
        if headers.value("Date") == nil { headers.append(HTTPHeader("Date", HTTPDate.format(Date()))) }
        headers.append(HTTPHeader("Content-Length", String(response.body.count)))
        headers.append(HTTPHeader("Connection", "close"))
        for header in headers { text += "\(header.name): \(header.value)\r\n" }
        text += "\r\n"
        return Data(text.utf8) + (head ? Data() : response.body)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 307: "Temporary Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
