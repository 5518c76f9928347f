import CSQLite
import Foundation
import HubDoctorCore

/// The knowledge base indexed in SQLite FTS5: BM25 ranking with title and tags weighted above
/// the body, Porter stemming, prefix matching, whole-token error codes, and a trigram table
/// of the vocabulary to correct misspellings.
public final class KnowledgeIndex: @unchecked Sendable {
    // One SQLite connection, used by one query at a time (the lock below).
    private let lock = NSLock()
    /// Bump when the schema or the way documents are indexed changes; old caches are then ignored.
    static let schemaVersion = 5
    /// Column weights for bm25(): title, tags, body.
    static let weights = (title: 8.0, tags: 4.0, body: 1.0)

    let database: SQLiteDatabase
    /// Why the index is not cached on disk, when it is not.
    public private(set) var cacheWarning: String?

    private init(database: SQLiteDatabase, cacheWarning: String? = nil) {
        self.database = database
        self.cacheWarning = cacheWarning
    }

    // MARK: - Opening

    /// The cache folder: `$XDG_CACHE_HOME/hubdoctor`, else `~/.cache/hubdoctor`.
    public static func defaultCacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("hubdoctor", isDirectory: true)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/hubdoctor", isDirectory: true)
    }

    /// Opens the cached index for a knowledge source, building it when missing, stale or corrupt.
    ///
    /// The cache is keyed by the SHA-256 of the knowledge content. For a folder, a stat fingerprint
    /// (every file's path, size and modification time) maps to the content hash it was computed from,
    /// so an unchanged folder is recognised without reading and hashing every file (as git's index does).
    public static func open(_ resolved: ResolvedKnowledge, cacheDirectory: URL?) throws -> KnowledgeIndex {
        guard let cacheDirectory else { return try buildInMemory(files: try resolved.files(), warning: nil) }
        return try open(hash: resolved.hash, files: { try resolved.files() }, cacheDirectory: cacheDirectory)
    }

    /// Opens the cached index for these files, building it when it is missing, stale or corrupt.
    /// When the cache folder cannot be used the index is built in memory and `cacheWarning` says why.
    public static func open(files: KnowledgeFiles, cacheDirectory: URL?) throws -> KnowledgeIndex {
        guard let cacheDirectory else { return try buildInMemory(files: files, warning: nil) }
        return try open(hash: files.contentHash, files: { files }, cacheDirectory: cacheDirectory)
    }

    static func indexName(_ hash: String) -> String { "index-v\(schemaVersion)-\(hash.prefix(24)).sqlite" }

    /// The cached index for `hash`, when it exists and is sound.
    private static func openCached(hash: String, cacheDirectory: URL) throws -> KnowledgeIndex? {
        let url = cacheDirectory.appendingPathComponent(indexName(hash))
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        if let database = try? SQLiteDatabase(path: url.path, create: false, readOnly: true), (try? storedHash(database)) == hash {
            return KnowledgeIndex(database: database)
        }
        // Unreadable, truncated or from another build: rebuild it.
        try? FileManager.default.removeItem(at: url)
        return nil
    }

    private static func open(hash: String, files: () throws -> KnowledgeFiles, cacheDirectory: URL) throws -> KnowledgeIndex {
        if let cached = try openCached(hash: hash, cacheDirectory: cacheDirectory) { return cached }
        let files = try files()
        let name = indexName(hash)
        let url = cacheDirectory.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
            let temporary = cacheDirectory.appendingPathComponent(".\(name).\(ProcessInfo.processInfo.processIdentifier).tmp")
            try? FileManager.default.removeItem(at: temporary)
            do {
                let database = try SQLiteDatabase(path: temporary.path, create: true)
                try populate(database, files: files, hash: hash)
            }
            // Rename only a complete index, so a crash never leaves a half-built cache behind.
            guard rename(temporary.path, url.path) == 0 else {
                throw SQLiteDatabase.Failure(code: errno, message: String(cString: strerror(errno)))
            }
            KnowledgeCache.removeStale(in: cacheDirectory, prefix: "index-v", keeping: name)
            return KnowledgeIndex(database: try SQLiteDatabase(path: url.path, create: false, readOnly: true))
        } catch let error as HubDoctorError {
            throw error
        } catch {
            let reason = (error as? SQLiteDatabase.Failure)?.message ?? error.localizedDescription
            return try buildInMemory(
                files: files,
                warning: "cannot write the search cache in \(cacheDirectory.path) (\(reason)); searching without a cache. Set XDG_CACHE_HOME to a writable folder to keep it.")
        }
    }

    static func buildInMemory(files: KnowledgeFiles, warning: String?) throws -> KnowledgeIndex {
        let database = try SQLiteDatabase(path: ":memory:", create: true)
        try populate(database, files: files, hash: files.contentHash)
        return KnowledgeIndex(database: database, cacheWarning: warning)
    }

    private static func storedHash(_ database: SQLiteDatabase) throws -> String? {
        let statement = try database.prepare("SELECT value FROM meta WHERE key = 'content_hash'")
        guard try statement.step() else { return nil }
        let hash = statement.text(0)
        // A corrupt file can still answer the meta query; check the FTS tables too.
        let check = try database.prepare("SELECT count(*) FROM docs WHERE docs MATCH 'zzzcheck'")
        _ = try check.step()
        return hash
    }

    // MARK: - Building

    static let schema = """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
        CREATE TABLE entry(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, title TEXT NOT NULL);
        CREATE VIRTUAL TABLE docs USING fts5(title, tags, body, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3');
        CREATE VIRTUAL TABLE codes USING fts5(head, rest, tokenize = "unicode61 remove_diacritics 0 tokenchars '_-.'");
        CREATE TABLE word(term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
        CREATE VIRTUAL TABLE grams USING fts5(gram, tokenize = 'trigram');
        """

    static func populate(_ database: SQLiteDatabase, files: KnowledgeFiles, hash: String) throws {
        let base = try KnowledgeBase.loadChecked(files, includeRules: false)
        try database.execute(schema)
        try database.execute("BEGIN")
        let insertEntry = try database.prepare("INSERT INTO entry(rowid, id, kind, title) VALUES (?, ?, ?, ?)")
        let insertDoc = try database.prepare("INSERT INTO docs(rowid, title, tags, body) VALUES (?, ?, ?, ?)")
        let insertCodes = try database.prepare("INSERT INTO codes(rowid, head, rest) VALUES (?, ?, ?)")
        var vocabulary: [String: Int] = [:]
        for (offset, entry) in base.entries.enumerated() {
            let rowid = Int64(offset + 1)
            let body = PlainText.fromMarkdown(entry.body)
            let tags = (entry.tags + entry.classes + entry.aliases).joined(separator: " ; ")
            insertEntry.bind(1, rowid)
            insertEntry.bind(2, entry.id)
            insertEntry.bind(3, entry.kind.rawValue)
            insertEntry.bind(4, entry.title)
            try insertEntry.run()
            insertDoc.bind(1, rowid)
            insertDoc.bind(2, entry.title)
            insertDoc.bind(3, tags)
            insertDoc.bind(4, body)
            try insertDoc.run()
            // Codes named in the id, title or tags say what the entry is about; those in the body only mention them.
            var headCodes = Set<String>()
            var restCodes = Set<String>()
            var words = Set<String>()
            for (position, text) in [entry.id, entry.title, tags, body].enumerated() {
                for token in QueryParser.tokens(text) {
                    let lower = token.lowercased()
                    if QueryParser.isCode(token) {
                        if position < 3 { headCodes.insert(lower) } else { restCodes.insert(lower) }
                    }
                    for part in lower.split(whereSeparator: { "_-.'".contains($0) }) where part.count >= 3 && part.allSatisfy(\.isLetter) {
                        words.insert(String(part))
                    }
                }
            }
            for word in words { vocabulary[word, default: 0] += 1 }
            insertCodes.bind(1, rowid)
            insertCodes.bind(2, headCodes.sorted().joined(separator: " "))
            insertCodes.bind(3, restCodes.subtracting(headCodes).sorted().joined(separator: " "))
            try insertCodes.run()
        }
        let insertWord = try database.prepare("INSERT INTO word(term, df) VALUES (?, ?)")
        let insertGram = try database.prepare("INSERT INTO grams(gram) VALUES (?)")
        for (word, frequency) in vocabulary.sorted(by: { $0.key < $1.key }) {
            insertWord.bind(1, word)
            insertWord.bind(2, Int64(frequency))
            try insertWord.run()
            insertGram.bind(1, word)
            try insertGram.run()
        }
        let insertMeta = try database.prepare("INSERT INTO meta(key, value) VALUES (?, ?)")
        for (key, value) in [("content_hash", hash), ("schema", String(schemaVersion)), ("origin", files.origin)] {
            insertMeta.bind(1, key)
            insertMeta.bind(2, value)
            try insertMeta.run()
        }
        let (title, tags, body) = weights
        try database.execute(
            """
            INSERT INTO docs(docs, rank) VALUES('rank', 'bm25(\(title), \(tags), \(body))');
            INSERT INTO docs(docs) VALUES('optimize'); INSERT INTO codes(codes) VALUES('optimize'); COMMIT
            """)
    }

    // MARK: - Searching

    /// Ranks the entries for a free-text query or a pasted error message.
    ///
    /// BM25 over title, tags and body gives candidates; each is then weighted by the share of the
    /// query's terms it contains, so one rare word cannot outrank an entry that matches the whole
    /// question. Exact error codes add their own score, stronger when the entry is about the code.
    /// True when a query carries an identifier (`invalid_grant`, `AADSTS700082`): a pasted error, worth classifying.
    public static func looksLikeError(_ query: String) -> Bool { !QueryParser.parse(query).codes.isEmpty }

    /// - Parameter boost: extra score for entries by id (the failure class a pasted error was classified as).
    public func search(_ query: String, limit: Int = 5, boost: [String: Double] = [:]) throws -> [SearchHit] {
        lock.lock()
        defer { lock.unlock() }
        let terms = QueryParser.parse(query)
        guard !terms.words.isEmpty || !terms.codes.isEmpty else { return [] }
        var scores: [Int64: Double] = [:]

        // One FTS5 expression per query word (a word and its spelling correction count once).
        let expressions = try terms.words.prefix(Self.maximumTerms).map { try expression(for: $0) }
        if !expressions.isEmpty {
            // Each word is scored on its own (BM25 with the column weights set at build time as `rank`);
            // summing them is what an OR query computes, and it also tells how many words each entry has.
            var matched: [Int64: Int] = [:]
            let scored = try informative(expressions)
            let statement = try database.prepare("SELECT rowid, -rank FROM docs WHERE docs MATCH ?")
            for expression in scored {
                statement.reset()
                statement.bind(1, expression)
                while try statement.step() {
                    let rowid = statement.int(0)
                    scores[rowid, default: 0] += statement.double(1)
                    matched[rowid, default: 0] += 1
                }
            }
            if scored.count > 1 {
                let count = Double(scored.count)
                for (rowid, score) in scores { scores[rowid] = score * (0.25 + 0.75 * Double(matched[rowid, default: 0]) / count) }
            }
        }
        if !terms.codes.isEmpty {
            // An exact identifier is the strongest signal a pasted error carries: an entry about the
            // code (in its id, title or tags) gains more than one that only mentions it.
            for (column, weight) in [("head", 3.0), ("rest", 1.0)] {
                let statement = try database.prepare("SELECT rowid FROM codes WHERE codes MATCH ?")
                for code in terms.codes.prefix(Self.maximumTerms) {
                    statement.reset()
                    statement.bind(1, "\(column) : \(Self.quoted(code))")
                    while try statement.step() { scores[statement.int(0), default: 0] += weight }
                }
            }
        }
        if !boost.isEmpty {
            let lookup = try database.prepare("SELECT rowid FROM entry WHERE id = ?")
            let best = scores.values.max() ?? 1
            for (id, weight) in boost {
                lookup.reset()
                lookup.bind(1, id)
                // The classified entry joins the ranking even when no word of the query is in it.
                if try lookup.step() { scores[lookup.int(0), default: 0] += weight * max(best, 1) }
            }
        }
        let ranked = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit)
        let lookup = try database.prepare("SELECT id, kind, title FROM entry WHERE rowid = ?")
        // Snippets are made for the results shown only: snippet() is the costliest part of a query.
        let snippetQuery = try database.prepare(
            "SELECT snippet(docs, 2, '\(SearchHit.highlightStart)', '\(SearchHit.highlightEnd)', '…', 18) FROM docs WHERE docs MATCH ? AND rowid = ?")
        var hits: [SearchHit] = []
        for (rowid, score) in ranked {
            lookup.reset()
            lookup.bind(1, rowid)
            guard try lookup.step() else { continue }
            var snippet: String?
            if !expressions.isEmpty {
                snippetQuery.reset()
                snippetQuery.bind(1, expressions.joined(separator: " OR "))
                snippetQuery.bind(2, rowid)
                if try snippetQuery.step() { snippet = snippetQuery.text(0) }
            }
            if snippet?.contains(SearchHit.highlightStart) != true { snippet = try excerpt(rowid: rowid, terms: terms.codes + terms.words) }
            hits.append(
                SearchHit(
                    id: lookup.text(0), kind: lookup.text(1), title: lookup.text(2), score: (score * 1000).rounded() / 1000,
                    snippet: snippet ?? ""))
        }
        return hits
    }

    /// Pasted messages can be long; the first terms carry the error.
    static let maximumTerms = 16

    /// The expressions worth scoring: a word found in most entries (like "token" in a base about
    /// tokens) ranks nothing and costs the most, so it is left out while rarer words remain.
    /// Counting a word's entries is several times cheaper than scoring them.
    private func informative(_ expressions: [String]) throws -> [String] {
        guard expressions.count > 1 else { return expressions }
        let total = try entryCount()
        guard total >= 200 else { return expressions }
        let counter = try database.prepare("SELECT count(*) FROM docs WHERE docs MATCH ?")
        var kept: [String] = []
        for expression in expressions {
            counter.reset()
            counter.bind(1, expression)
            _ = try counter.step()
            if Double(counter.int(0)) <= 0.5 * Double(total) { kept.append(expression) }
        }
        return kept.isEmpty ? expressions : kept
    }

    /// A word as one FTS5 expression: itself with prefix matching, or its best spelling correction when no indexed word starts with it.
    private func expression(for word: String) throws -> String {
        if word.allSatisfy(\.isNumber) { return Self.quoted(word) }
        if try isKnown(word) || word.count < 4 { return Self.quoted(word) + "*" }
        return try correction(for: word).map { Self.quoted($0) + "*" } ?? Self.quoted(word) + "*"
    }

    /// True when some indexed word starts with `word`.
    private func isKnown(_ word: String) throws -> Bool {
        let statement = try database.prepare("SELECT 1 FROM word WHERE term >= ? AND term < ? LIMIT 1")
        statement.bind(1, word)
        statement.bind(2, word + "\u{10FFFF}")
        return try statement.step()
    }

    /// The indexed word closest to `word` (edit distance 1, or 2 for longer words), found through
    /// shared trigrams; among equally close words the most common one.
    func correction(for word: String) throws -> String? {
        let characters = Array(word)
        guard characters.count >= 3 else { return nil }
        var grams = Set<String>()
        for start in 0...(characters.count - 3) { grams.insert(String(characters[start..<start + 3])) }
        let statement = try database.prepare(
            "SELECT w.term, w.df FROM (SELECT gram FROM grams WHERE grams MATCH ? ORDER BY rank LIMIT 80) g JOIN word w ON w.term = g.gram")
        statement.bind(1, grams.sorted().map(Self.quoted).joined(separator: " OR "))
        let limit = word.count <= 5 ? 1 : 2
        var best: (term: String, distance: Int, frequency: Int64)?
        while try statement.step() {
            let candidate = statement.text(0)
            guard abs(candidate.count - word.count) <= limit else { continue }
            let distance = Spelling.editDistance(word, candidate)
            guard distance <= limit else { continue }
            let frequency = statement.int(1)
            if best == nil || distance < best!.distance || (distance == best!.distance && frequency > best!.frequency) {
                best = (candidate, distance, frequency)
            }
        }
        return best?.term
    }

    private func excerpt(rowid: Int64, terms: [String]) throws -> String? {
        let statement = try database.prepare("SELECT body FROM docs WHERE rowid = ?")
        statement.bind(1, rowid)
        guard try statement.step() else { return nil }
        return PlainText.excerpt(statement.text(0), around: terms)
    }

    static func quoted(_ term: String) -> String { "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Number of indexed entries (for benchmarks and `kb list` checks).
    private func entryCount() throws -> Int {
        if let cachedCount { return cachedCount }
        let statement = try database.prepare("SELECT count(*) FROM entry")
        _ = try statement.step()
        cachedCount = Int(statement.int(0))
        return cachedCount!
    }

    private var cachedCount: Int?
}
