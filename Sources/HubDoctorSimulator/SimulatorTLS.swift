import COpenSSL
import Foundation
import HubDoctorTransport

/// Certificates and TLS for the simulator, made with OpenSSL at start-up: nothing secret is kept
/// in the repository, and expired or self-signed certificates can be produced on demand.
public final class SimulatorTLS: StreamWrapper, @unchecked Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Signed by a CA that the connection trusts through `tls.ca_file`.
        case trusted
        /// A self-signed certificate nobody trusts.
        case selfSigned = "self-signed"
        /// Signed by the trusted CA, but expired yesterday.
        case expired
    }

    private let context: OpaquePointer
    /// PEM of the CA that signed the server certificate (trusted and expired kinds).
    public let caPEM: String?

    public init(kind: Kind) throws {
        guard let key = hd_tls_generate_key() else { throw SimulatorError("cannot generate a TLS key") }
        defer { EVP_PKEY_free(key) }
        let day: Int = 86_400
        var ca: OpaquePointer?
        var caKey: OpaquePointer?
        defer {
            if let ca { X509_free(ca) }
            if let caKey { EVP_PKEY_free(caKey) }
        }
        let certificate: OpaquePointer?
        switch kind {
        case .selfSigned:
            certificate = hd_tls_make_cert(key, "localhost", nil, nil, -day, 30 * day, 0, 1)
            caPEM = nil
        case .trusted, .expired:
            caKey = hd_tls_generate_key()
            ca = hd_tls_make_cert(caKey, "hubdoctor simulator test CA", nil, nil, -2 * day, 30 * day, 1, 1)
            guard let ca, let caKey else { throw SimulatorError("cannot make the test CA") }
            let (from, to) = kind == .expired ? (-10 * day, -day) : (-day, 30 * day)
            certificate = hd_tls_make_cert(key, "localhost", ca, caKey, from, to, 0, 2)
            guard let pem = hd_tls_cert_pem(ca) else { throw SimulatorError("cannot encode the CA") }
            caPEM = String(cString: pem)
            free(pem)
        }
        guard let certificate else { throw SimulatorError("cannot make the server certificate") }
        defer { X509_free(certificate) }
        guard let context = hd_tls_server_ctx(certificate, key, ca) else { throw SimulatorError("cannot make the TLS context") }
        self.context = context
    }

    deinit { SSL_CTX_free(context) }

    public func wrap(socket: Int32) -> ServerStream? {
        guard let ssl = SSL_new(context) else { return nil }
        SSL_set_fd(ssl, socket)
        // A failed handshake (the client refused our certificate) ends the connection: the point of the scenario.
        guard SSL_accept(ssl) == 1 else {
            SSL_free(ssl)
            shutdown(socket, Int32(SHUT_RDWR))
            close(socket)
            return nil
        }
        return TLSStream(ssl: ssl, socket: socket)
    }
}

final class TLSStream: ServerStream {
    let ssl: OpaquePointer
    let socket: Int32

    init(ssl: OpaquePointer, socket: Int32) {
        self.ssl = ssl
        self.socket = socket
    }

    func read(_ buffer: UnsafeMutableRawBufferPointer) -> Int { Int(SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))) }

    func write(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let result = SSL_write(ssl, raw.baseAddress! + sent, Int32(raw.count - sent))
                if result <= 0 { return false }
                sent += Int(result)
            }
            return true
        }
    }

    func close() {
        SSL_shutdown(ssl)
        SSL_free(ssl)
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }
}

public struct SimulatorError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
