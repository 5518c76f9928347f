import Foundation

/// Where the knowledge base comes from: the copy compiled into the binary, or a folder.
public enum KnowledgeSource: Sendable, Equatable {
    case embedded
    case directory(URL)

    public func files() throws -> KnowledgeFiles {
        switch self {
        case .embedded: KnowledgeFiles.embedded()
        case .directory(let url): try KnowledgeFiles.read(directory: url)
        }
    }

    /// The content hash, found cheaply: a constant for the embedded copy; for a folder, a stat
    /// fingerprint (every file's path, size and modification time) that a marker in the cache
    /// folder maps to the content hash it was computed from, as git's index does. The files are
    /// read only when the hash is not known yet, or when `files()` is asked for.
    public func resolve(cacheDirectory: URL?) throws -> ResolvedKnowledge {
        switch self {
        case .embedded:
            return ResolvedKnowledge(hash: EmbeddedKnowledge.contentHash, source: self, files: nil)
        case .directory(let directory):
            let fingerprint = try KnowledgeFiles.statFingerprint(directory: directory)
            let marker = cacheDirectory?.appendingPathComponent("stat-\(fingerprint.prefix(24))")
            if let marker, let data = FileManager.default.contents(atPath: marker.path), let hash = String(data: data, encoding: .utf8), hash.count == 64 {
                return ResolvedKnowledge(hash: hash, source: self, files: nil)
            }
            let files = try KnowledgeFiles.read(directory: directory)
            if let marker, let cacheDirectory {
                try? FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
                if (try? Data(files.contentHash.utf8).write(to: marker, options: .atomic)) != nil {
                    KnowledgeCache.removeStale(in: cacheDirectory, prefix: "stat-", keeping: marker.lastPathComponent)
                }
            }
            return ResolvedKnowledge(hash: files.contentHash, source: self, files: files)
        }
    }
}

/// A knowledge source whose content hash is known; its files are read only when needed.
public final class ResolvedKnowledge: @unchecked Sendable {
    public let hash: String
    let source: KnowledgeSource
    private var loaded: KnowledgeFiles?
    private let lock = NSLock()

    init(hash: String, source: KnowledgeSource, files: KnowledgeFiles?) {
        self.hash = hash
        self.source = source
        self.loaded = files
    }

    public func files() throws -> KnowledgeFiles {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        let files = try source.files()
        loaded = files
        return files
    }
}

/// The parsed knowledge base, cached beside the search index (a compact binary file, see
/// KnowledgeBinary) and keyed by the content hash, so a command does not parse 400 KB of YAML on
/// every run. Entry bodies are left out (commands that show them, `kb show` and `init --provider`,
/// read the files). `kb lint` never uses it.
public enum KnowledgeCache {
    /// The checked knowledge base, from the cache when it is current.
    public static func load(_ resolved: ResolvedKnowledge, cacheDirectory: URL?) throws -> KnowledgeBase {
        let name = "knowledge-v\(KnowledgeBinary.version)-\(resolved.hash.prefix(24)).bin"
        if let cacheDirectory, let data = FileManager.default.contents(atPath: cacheDirectory.appendingPathComponent(name).path),
            let stored = KnowledgeBinary.decode(data), stored.hash == resolved.hash
        {
            return KnowledgeBase(entries: stored.entries, rulePacks: stored.packs, problems: [], contentHash: stored.hash, origin: stored.origin)
        }
        let full = try KnowledgeBase.loadChecked(try resolved.files())
        let base = KnowledgeBase(entries: full.entries.map(\.withoutBody), rulePacks: full.rulePacks, problems: [], contentHash: full.contentHash, origin: full.origin)
        if let cacheDirectory {
            let data = KnowledgeBinary.encode(hash: resolved.hash, origin: base.origin, entries: base.entries, packs: base.rulePacks)
            try? FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
            if (try? data.write(to: cacheDirectory.appendingPathComponent(name), options: .atomic)) != nil {
                removeStale(in: cacheDirectory, prefix: "knowledge-v", keeping: name)
            }
        }
        return base
    }

    /// Removes the other cache files of one kind, so old versions do not pile up.
    public static func removeStale(in directory: URL, prefix: String, keeping name: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for other in names where other.hasPrefix(prefix) && other != name {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(other))
        }
    }
}
