import Foundation

/// hubdoctor's own state: `$XDG_STATE_HOME/hubdoctor` (default `~/.local/state/hubdoctor`), mode 0700.
/// It holds salted credential fingerprints with when each last worked, and refresh tokens a
/// provider rotated when they came from an environment variable.
public struct StateDirectory: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    public static func `default`(environment: [String: String] = ProcessInfo.processInfo.environment) -> StateDirectory {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return StateDirectory(url: URL(fileURLWithPath: state).appendingPathComponent("hubdoctor", isDirectory: true))
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return StateDirectory(url: URL(fileURLWithPath: home).appendingPathComponent(".local/state/hubdoctor", isDirectory: true))
    }

    /// The per-installation salt of credential fingerprints, created on first use (0600).
    func salt() -> [UInt8] {
        let file = url.appendingPathComponent("salt")
        if let data = FileManager.default.contents(atPath: file.path), data.count == 32 { return Array(data) }
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // SecretFile creates the folder (0700) when it is missing.
        try? SecretFile.write(Data(salt), to: file)
        return salt
    }

    /// Where a rotated refresh token that came from the environment is kept.
    public func tokenFile(connection: String, method: String) -> URL {
        let safe = { (text: String) in String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }) }
        return url.appendingPathComponent("tokens", isDirectory: true).appendingPathComponent("\(safe(connection))-\(safe(method)).refresh_token")
    }
}

/// Writes secrets the safe way: a temporary file with mode 0600 in the same folder, flushed to
/// disk, then renamed over the target, so a crash leaves the old or the new secret, never half of one.
public enum SecretFile {
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw HubDoctorError(.internalError, "cannot create \(temporary.path): \(String(cString: strerror(errno))).") }
        var ok = data.withUnsafeBytes { raw -> Bool in
            var written = 0
            while written < raw.count {
                let result = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if result <= 0 { return false }
                written += result
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw HubDoctorError(.internalError, "cannot write \(url.path): \(String(cString: strerror(errno))).")
        }
        // Make the rename itself durable.
        let directoryFD = open(directory.path, O_RDONLY)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}
