import Foundation

/// A problem found while loading the knowledge base, printed as `file:line: message`.
public struct LintProblem: Sendable, CustomStringConvertible, Equatable {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { location.prefix + message }
}

/// The whole knowledge base: entries and signature rules, with every problem found on the way.
public struct KnowledgeBase: Sendable {
    public var entries: [KnowledgeEntry]
    public var rulePacks: [RulePack]
    public var problems: [LintProblem]
    public var contentHash: String
    public var origin: String

    private var byID: [String: Int]
    /// Provider markers, compiled once: (provider id, patterns).
    let markerPatterns: [(String, [Pattern])]

    public init(entries: [KnowledgeEntry], rulePacks: [RulePack], problems: [LintProblem], contentHash: String, origin: String) {
        self.entries = entries
        self.rulePacks = rulePacks
        self.problems = problems
        self.contentHash = contentHash
        self.origin = origin
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() where index[entry.id] == nil { index[entry.id] = position }
        self.byID = index
        markerPatterns = entries.filter { $0.kind == .provider && !$0.markers.isEmpty }.map { note in
            (note.id, note.markers.map { Pattern(deferred: $0, caseInsensitive: true) })
        }
    }

    public func entry(id: String) -> KnowledgeEntry? { byID[id].map { entries[$0] } }

    public var rules: [Rule] { rulePacks.flatMap(\.rules) }

    /// The class entry for a failure class.
    public func classEntry(_ failureClass: FailureClass) -> KnowledgeEntry? { entry(id: failureClass.rawValue) }

    public var providers: [KnowledgeEntry] { entries.filter { $0.kind == .provider } }

    /// The provider note whose id or alias is `name` (case-insensitive).
    public func provider(named name: String) -> KnowledgeEntry? {
        let wanted = name.lowercased()
        return providers.first { $0.id == wanted || $0.aliases.contains { $0.lowercased() == wanted } }
    }

    /// The provider whose `hosts` patterns match `host`.
    public func provider(forHost host: String) -> KnowledgeEntry? {
        providers.first { note in note.hosts.contains { Glob.matches($0, host.lowercased()) } }
    }

    /// Host → provider answers already worked out (a HAR repeats the same few hosts thousands of times).
    final class HostCache: @unchecked Sendable {
        let lock = NSLock()
        var providers: [String: String?] = [:]
    }
    private let hostCache = HostCache()

    /// The provider an answer comes from when nothing else says: its host, then its markers.
    public func provider(host: String?, text: String) -> String? {
        if let host {
            hostCache.lock.lock()
            let cached = hostCache.providers[host]
            hostCache.lock.unlock()
            let id: String?
            if let cached {
                id = cached
            } else {
                id = provider(forHost: host)?.id
                hostCache.lock.lock()
                hostCache.providers[host] = .some(id)
                hostCache.lock.unlock()
            }
            if let id { return id }
        }
        guard !text.isEmpty else { return nil }
        for (id, patterns) in markerPatterns where patterns.contains(where: { $0.matches(text) }) { return id }
        return nil
    }

    /// Loads and checks every file; problems are collected, not thrown, so `kb lint` can list them all.
    /// - Parameter includeRules: false reads the entries only (the search index needs no rules).
    public static func load(_ files: KnowledgeFiles, includeRules: Bool = true) -> KnowledgeBase {
        var loader = KnowledgeLoader(files: files)
        loader.includeRules = includeRules
        return loader.load()
    }

    /// Loads the base for use by a command: any problem is an error naming the first few.
    public static func loadChecked(_ files: KnowledgeFiles, includeRules: Bool = true) throws -> KnowledgeBase {
        let base = load(files, includeRules: includeRules)
        guard base.problems.isEmpty else {
            let shown = base.problems.prefix(5).map { "  \($0)" }.joined(separator: "\n")
            let more = base.problems.count > 5 ? "\n  ... and \(base.problems.count - 5) more" : ""
            throw HubDoctorError(
                .dataError,
                "The knowledge base in \(files.origin) has \(base.problems.count) problem(s):\n\(shown)\(more)\nRun `hubdoctor kb lint` on it and fix them.")
        }
        return base
    }
}

/// Shell-style globs for host patterns: `*` matches any run of characters.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased().utf8)
        let t = Array(text.lowercased().utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
