import Foundation

/// When each credential last worked, kept as salted fingerprints (never the secret), so that
/// "this key worked on 2026-11-20 and is now rejected" (rotated or revoked upstream) can be told
/// from "this key never worked here" (a wrong key).
public final class CredentialHistory: @unchecked Sendable {
    public struct Record: Codable, Sendable, Equatable {
        public var firstSeen: Date
        public var lastWorked: Date?
        public var lastRejected: Date?
    }

    private let file: URL?
    private let salt: [UInt8]
    private let lock = NSLock()
    private var records: [String: Record]

    /// History kept in `state` (or in memory only when `state` is nil).
    public init(state: StateDirectory?) {
        if let state {
            file = state.url.appendingPathComponent("credentials.json")
            salt = state.salt()
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            records = file.flatMap { FileManager.default.contents(atPath: $0.path) }.flatMap { try? decoder.decode([String: Record].self, from: $0) } ?? [:]
        } else {
            file = nil
            salt = Array("in-memory".utf8)
            records = [:]
        }
    }

    /// The fingerprint of a credential for one connection and method: HMAC-SHA-256 under the installation salt.
    public func fingerprint(connection: String, method: String, secret: String) -> String {
        SHA256.hmac(key: salt, message: Array("\(connection)\u{0}\(method)\u{0}\(secret)".utf8)).prefix(16).hexString
    }

    public func record(for fingerprint: String) -> Record? {
        lock.lock()
        defer { lock.unlock() }
        return records[fingerprint]
    }

    /// Notes an outcome, in memory until `save()`.
    public func note(_ fingerprint: String, worked: Bool, at date: Date = Date()) {
        lock.lock()
        defer { lock.unlock() }
        var record = records[fingerprint] ?? Record(firstSeen: date)
        if worked { record.lastWorked = date } else { record.lastRejected = date }
        records[fingerprint] = record
    }

    /// Writes the history once, after every method has noted its outcome (best effort: a read-only
    /// state folder is not an error).
    public func save() {
        guard let file else { return }
        lock.lock()
        let snapshot = records
        lock.unlock()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Fingerprints are not secrets, and losing the last update costs nothing: an atomic write without fsync.
        guard let data = try? encoder.encode(snapshot) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if (try? data.write(to: file, options: .atomic)) != nil { chmod(file.path, 0o600) }
    }
}
