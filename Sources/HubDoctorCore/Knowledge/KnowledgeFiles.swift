import Foundation
import HubDoctorShared

/// The raw files of a knowledge base: relative path and text, sorted by path.
public struct KnowledgeFiles: Sendable {
    public struct File: Sendable {
        public var path: String
        public var text: String
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    public var files: [File]
    /// Where the files came from, for messages: a folder path or "the built-in knowledge base".
    public var origin: String
    /// The folder the files were read from (nil for the embedded copy); locations in messages are relative to it.
    public var directory: URL?

    /// SHA-256 over every path and text: the key of the search index cache.
    public let contentHash: String

    public init(files: [File], origin: String, directory: URL?, contentHash: String? = nil) {
        self.files = files.sorted { $0.path < $1.path }
        self.origin = origin
        self.directory = directory
        self.contentHash = contentHash ?? KnowledgeLayout.contentHash(self.files.lazy.map { (path: $0.path, text: $0.text) })
    }

    static var folders: [String] { KnowledgeLayout.folders }

    /// The copy compiled into the binary.
    public static func embedded() -> KnowledgeFiles {
        KnowledgeFiles(
            files: EmbeddedKnowledge.files.map { File(path: $0.path, text: $0.text) },
            origin: "the built-in knowledge base", directory: nil, contentHash: EmbeddedKnowledge.contentHash)
    }

    /// Reads every `.md` and `.yaml` file of the knowledge folders under `directory`.
    public static func read(directory: URL) throws -> KnowledgeFiles {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw HubDoctorError(
                .noInput,
                "The knowledge folder \(directory.path) does not exist. Pass --knowledge with a folder holding faq/, classes/, providers/ and rules/, or leave it out to use the built-in knowledge base.")
        }
        guard isDirectory.boolValue else {
            throw HubDoctorError(.noInput, "\(directory.path) is a file, not a knowledge folder; --knowledge takes a folder.")
        }
        var files: [File] = []
        for folder in folders {
            let url = directory.appendingPathComponent(folder, isDirectory: true)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
            for name in names where KnowledgeLayout.includes("\(folder)/\(name)") {
                let path = "\(folder)/\(name)"
                let data: Data
                do {
                    data = try Data(contentsOf: url.appendingPathComponent(name))
                } catch {
                    throw HubDoctorError(.noInput, "Cannot read \(directory.appendingPathComponent(path).path): \(error.localizedDescription). Check its permissions.")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw HubDoctorError.data(directory.appendingPathComponent(path).path, line: nil, "this file is not UTF-8 text; save it as UTF-8.")
                }
                files.append(File(path: path, text: text))
            }
        }
        if files.isEmpty {
            throw HubDoctorError(
                .noInput,
                "The knowledge folder \(directory.path) holds no entries (no .md or .yaml files under \(folders.joined(separator: "/, "))/).")
        }
        return KnowledgeFiles(files: files, origin: directory.path, directory: directory)
    }

    /// A hash of every knowledge file's path, size and modification time: changes whenever a file is
    /// added, removed or written, and costs one `stat` per file instead of reading them all. Plain
    /// POSIX calls (opendir, fstatat): Foundation's URL and FileManager work cost more than the stats.
    public static func statFingerprint(directory: URL) throws -> String {
        var hasher = SHA256()
        hasher.update(directory.standardizedFileURL.path)
        var found = false
        for folder in folders {
            let path = directory.path + "/" + folder
            guard let handle = opendir(path) else { continue }
            defer { closedir(handle) }
            let descriptor = dirfd(handle)
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
                if KnowledgeLayout.includes(folder + "/" + name) { names.append(name) }
            }
            for name in names.sorted() {
                var info = stat()
                guard fstatat(descriptor, name, &info, 0) == 0 else { continue }
                found = true
                hasher.update(folder)
                hasher.update([0x2F])
                hasher.update(name)
                withUnsafeBytes(of: (info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec)) { hasher.update(buffer: $0) }
            }
        }
        if !found { _ = try read(directory: directory) }  // the same message as a full read for a missing or empty folder
        return hasher.finalize().hexString
    }

    /// The path to show in messages: absolute for folders, `knowledge/...` for the embedded copy.
    public func displayPath(_ relative: String) -> String {
        directory.map { $0.appendingPathComponent(relative).path } ?? "knowledge/\(relative)"
    }
}
