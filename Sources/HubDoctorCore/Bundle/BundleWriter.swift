import Foundation
import ZIPFoundation

/// Facts about the machine for environment.json; the CLI fills in what Core cannot know (libcurl's version).
public struct EnvironmentInfo: Codable, Sendable {
    public var hubdoctor = HubDoctorVersion.current
    public var os: String
    public var kernel: String
    public var architecture: String
    public var libcurl: String
    public var tls: String
    /// Which proxy variables are set (never their values: proxy URLs can carry credentials).
    public var proxyVariables: [String: Bool]
    /// Per method: the provider's clock minus this machine's, in seconds, from the Date header.
    public var clockOffsetSeconds: [String: Double]
    public var timezone: String

    enum CodingKeys: String, CodingKey {
        case hubdoctor, os, kernel, architecture, libcurl, tls, timezone
        case proxyVariables = "proxy_variables"
        case clockOffsetSeconds = "clock_offset_seconds"
    }

    public static func current(libcurl: String, tls: String, clockOffsets: [String: Double], environment: [String: String] = ProcessInfo.processInfo.environment) -> EnvironmentInfo {
        var system = utsname()
        uname(&system)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let names = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"]
        return EnvironmentInfo(
            os: ProcessInfo.processInfo.operatingSystemVersionString, kernel: "\(field(system.sysname)) \(field(system.release))",
            architecture: field(system.machine), libcurl: libcurl, tls: tls,
            proxyVariables: Dictionary(uniqueKeysWithValues: names.map { ($0, !(environment[$0] ?? "").isEmpty) }),
            clockOffsetSeconds: clockOffsets, timezone: TimeZone.current.identifier)
    }
}

/// Writes the support bundle: one zip with report.md, diagnosis.json, exchanges.har,
/// environment.json, ticket.eml and manifest.json (SHA-256 of every other file, and how many values
/// of each kind were redacted). It is written under a temporary name and renamed when complete,
/// so an interrupted run leaves no half bundle.
public enum BundleWriter {
    public static func fileName(connection: String, date: Date) -> String {
        let safe = String(connection.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
        return "hubdoctor-\(safe)-\(RFC3339.formatCompact(date)).zip"
    }

    /// Where the bundle goes: a folder (named file inside it) or a path ending in `.zip`.
    public static func destination(_ requested: String?, connection: String, date: Date) -> URL {
        let name = fileName(connection: connection, date: date)
        guard let requested else { return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name) }
        if requested.lowercased().hasSuffix(".zip") { return URL(fileURLWithPath: requested) }
        return URL(fileURLWithPath: requested, isDirectory: true).appendingPathComponent(name)
    }

    public static func files(_ diagnosis: Diagnosis, environment: EnvironmentInfo, redactions: [String: Int]) throws -> [(String, Data)] {
        let diagnosisJSON = try JSONOutput.data(diagnosis)
        let har = try JSONOutput.data(jsonObject: HARWriter.har(diagnosis.methods))
        var files: [(String, Data)] = [
            ("report.md", Data(DiagnosisRenderer(style: .plain).markdown(diagnosis).utf8)),
            ("diagnosis.json", diagnosisJSON),
            ("exchanges.har", har),
            ("environment.json", try JSONOutput.data(environment)),
            ("ticket.eml", Data(TicketWriter.message(diagnosis, attachment: diagnosisJSON, date: diagnosis.generatedAt).utf8)),
        ]
        let manifest: [String: Any] = [
            "schema": "hubdoctor.bundle/v1", "created": RFC3339.format(diagnosis.generatedAt),
            "hubdoctor": HubDoctorVersion.current,
            "files": files.map { ["name": $0.0, "sha256": SHA256.hash($0.1).hexString, "size": $0.1.count] },
            "redactions": redactions,
        ]
        files.append(("manifest.json", try JSONOutput.data(jsonObject: manifest)))
        return files
    }

    /// Writes the zip and returns its path.
    @discardableResult
    public static func write(_ files: [(String, Data)], to url: URL) throws -> URL {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw HubDoctorError(.usage, "cannot create the bundle folder \(directory.path): \(error.localizedDescription).")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        try? FileManager.default.removeItem(at: temporary)
        do {
            let archive = try Archive(url: temporary, accessMode: .create)
            let modified = Date()
            for (name, data) in files {
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: modified, permissions: 0o600, compressionMethod: .none) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw HubDoctorError(.usage, "cannot write the support bundle \(url.path): \(error.localizedDescription).")
        }
        chmod(temporary.path, 0o600)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw HubDoctorError(.usage, "cannot move the support bundle into place at \(url.path): \(reason).")
        }
        return url
    }
}
