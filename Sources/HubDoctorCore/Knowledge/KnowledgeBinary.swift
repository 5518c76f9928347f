import Foundation

/// The parsed knowledge base as a compact binary file: the cache every command starts from.
///
/// Written by hand, not through Codable: decoding 360 rules with JSONDecoder took two thirds of a
/// one-method `diagnose` (Codable's machinery is costly on a cold start); this reads them in about
/// a millisecond. Any inconsistency reads as "no cache", and the base is parsed again.
enum KnowledgeBinary {
    static let magic: [UInt8] = Array("HDKB".utf8)
    static let version: UInt8 = 1

    static func encode(hash: String, origin: String, entries: [KnowledgeEntry], packs: [RulePack]) -> Data {
        var writer = Writer()
        writer.bytes(magic)
        writer.byte(version)
        writer.string(hash)
        writer.string(origin)
        writer.array(entries) { writer, entry in writer.entry(entry) }
        writer.array(packs) { writer, pack in writer.pack(pack) }
        return Data(writer.buffer)
    }

    static func decode(_ data: Data) -> (hash: String, origin: String, entries: [KnowledgeEntry], packs: [RulePack])? {
        var reader = Reader(Array(data))
        guard reader.bytes(magic.count) == magic, reader.byte() == version, let hash = reader.string(), let origin = reader.string(),
            let entries = reader.array({ $0.entry() }), let packs = reader.array({ $0.pack() }), reader.atEnd
        else { return nil }
        return (hash, origin, entries, packs)
    }

    struct Writer {
        var buffer: [UInt8] = []

        mutating func byte(_ value: UInt8) { buffer.append(value) }
        mutating func bytes(_ values: [UInt8]) { buffer += values }
        mutating func int(_ value: Int) {
            var remaining = UInt64(bitPattern: Int64(value))
            for _ in 0..<8 {
                buffer.append(UInt8(truncatingIfNeeded: remaining))
                remaining >>= 8
            }
        }
        mutating func double(_ value: Double) { int(Int(Int64(bitPattern: value.bitPattern))) }
        mutating func bool(_ value: Bool) { byte(value ? 1 : 0) }
        mutating func string(_ value: String) {
            let utf8 = Array(value.utf8)
            int(utf8.count)
            buffer += utf8
        }
        mutating func strings(_ values: [String]) { array(values) { $0.string($1) } }
        mutating func optional<T>(_ value: T?, _ write: (inout Writer, T) -> Void) {
            if let value {
                byte(1)
                write(&self, value)
            } else {
                byte(0)
            }
        }
        mutating func array<T>(_ values: [T], _ write: (inout Writer, T) -> Void) {
            int(values.count)
            for value in values { write(&self, value) }
        }

        mutating func entry(_ entry: KnowledgeEntry) {
            string(entry.id)
            string(entry.kind.rawValue)
            string(entry.title)
            strings(entry.tags)
            strings(entry.classes)
            strings(entry.methods)
            strings(entry.providers)
            strings(entry.seeAlso)
            optional(entry.source) { $0.string($1) }
            string(entry.body)
            string(entry.path)
            strings(entry.sources)
            strings(entry.aliases)
            strings(entry.hosts)
            strings(entry.markers)
            bool(entry.trySchemes)
            optional(entry.storedSteps) { $0.strings($1) }
        }

        mutating func pack(_ pack: RulePack) {
            string(pack.provider)
            strings(pack.sources)
            string(pack.path)
            array(pack.rules) { $0.rule($1) }
        }

        mutating func rule(_ rule: Rule) {
            string(rule.id)
            string(rule.pack)
            string(rule.failureClass.rawValue)
            double(rule.confidence)
            condition(rule.when)
            string(rule.explain)
            strings(rule.remediation)
            strings(rule.faq)
            optional(rule.source) { $0.string($1) }
            string(rule.precedence.rawValue)
            string(rule.location.file)
            optional(rule.location.line) { $0.int($1) }
        }

        mutating func pattern(_ pattern: Pattern) {
            string(pattern.source)
            bool(pattern.caseInsensitive)
        }

        mutating func keyed(_ items: [KeyedPattern]?) {
            optional(items) { writer, items in
                writer.array(items) { writer, item in
                    writer.string(item.key)
                    writer.optional(item.pattern) { $0.pattern($1) }
                }
            }
        }

        mutating func condition(_ condition: RuleCondition) {
            for list in [condition.stage, condition.grantType, condition.method, condition.provider, condition.host] { optional(list) { $0.strings($1) } }
            optional(condition.status) { writer, statuses in
                writer.array(statuses) { writer, status in
                    switch status {
                    case .code(let code): writer.byte(0); writer.int(code)
                    case .family(let family): writer.byte(1); writer.int(family)
                    case .none: writer.byte(2); writer.int(0)
                    }
                }
            }
            optional(condition.oauthError) { $0.strings($1) }
            keyed(condition.challenge)
            keyed(condition.header)
            keyed(condition.json)
            keyed(condition.xpath)
            for pattern in [condition.message, condition.body, condition.vendorCode] { optional(pattern) { $0.pattern($1) } }
            optional(condition.transport) { $0.strings($1) }
            optional(condition.fact) { $0.strings($1.map(\.rawValue)) }
            optional(condition.not) { writer, nots in writer.array(nots) { $0.condition($1) } }
        }
    }

    struct Reader {
        let buffer: [UInt8]
        var offset = 0
        var failed = false

        init(_ buffer: [UInt8]) { self.buffer = buffer }

        var atEnd: Bool { !failed && offset == buffer.count }

        mutating func byte() -> UInt8? {
            guard offset < buffer.count else { failed = true; return nil }
            defer { offset += 1 }
            return buffer[offset]
        }
        mutating func bytes(_ count: Int) -> [UInt8]? {
            guard count >= 0, offset + count <= buffer.count else { failed = true; return nil }
            defer { offset += count }
            return Array(buffer[offset..<offset + count])
        }
        mutating func int() -> Int? {
            guard offset + 8 <= buffer.count else { failed = true; return nil }
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(buffer[offset + index]) << (8 * UInt64(index)) }
            offset += 8
            return Int(Int64(bitPattern: value))
        }
        mutating func double() -> Double? { int().map { Double(bitPattern: UInt64(bitPattern: Int64($0))) } }
        mutating func bool() -> Bool? { byte().map { $0 != 0 } }
        mutating func string() -> String? {
            guard let count = int(), count >= 0, offset + count <= buffer.count else { failed = true; return nil }
            defer { offset += count }
            return String(decoding: buffer[offset..<offset + count], as: UTF8.self)
        }
        mutating func strings() -> [String]? { array { $0.string() } }
        /// nil when reading failed; `.some(nil)` for an absent value.
        mutating func optional<T>(_ read: (inout Reader) -> T?) -> T?? {
            guard let flag = byte() else { return nil }
            if flag == 0 { return .some(nil) }
            guard let value = read(&self) else { failed = true; return nil }
            return .some(value)
        }
        mutating func array<T>(_ read: (inout Reader) -> T?) -> [T]? {
            guard let count = int(), count >= 0, count <= buffer.count else { failed = true; return nil }
            var values: [T] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                guard let value = read(&self) else { failed = true; return nil }
                values.append(value)
            }
            return values
        }

        mutating func entry() -> KnowledgeEntry? {
            guard let id = string(), let kindName = string(), let kind = KnowledgeEntry.Kind(rawValue: kindName), let title = string(),
                let tags = strings(), let classes = strings(), let methods = strings(), let providers = strings(), let seeAlso = strings(),
                let source = optional({ $0.string() }), let body = string(), let path = string(), let sources = strings(),
                let aliases = strings(), let hosts = strings(), let markers = strings(), let trySchemes = bool(),
                let steps = optional({ $0.strings() })
            else { return nil }
            var entry = KnowledgeEntry(
                id: id, kind: kind, title: title, tags: tags, classes: classes, methods: methods, providers: providers,
                seeAlso: seeAlso, source: source, body: body, path: path)
            entry.sources = sources
            entry.aliases = aliases
            entry.hosts = hosts
            entry.markers = markers
            entry.trySchemes = trySchemes
            entry.storedSteps = steps
            return entry
        }

        mutating func pack() -> RulePack? {
            guard let provider = string(), let sources = strings(), let path = string(), let rules = array({ $0.rule() }) else { return nil }
            return RulePack(provider: provider, sources: sources, rules: rules, path: path)
        }

        mutating func rule() -> Rule? {
            guard let id = string(), let pack = string(), let className = string(), let failureClass = FailureClass(rawValue: className),
                let confidence = double(), let when = condition(), let explain = string(), let remediation = strings(), let faq = strings(),
                let source = optional({ $0.string() }), let precedenceName = string(), let precedence = Rule.Precedence(rawValue: precedenceName),
                let file = string(), let line = optional({ $0.int() })
            else { return nil }
            return Rule(
                id: id, pack: pack, failureClass: failureClass, confidence: confidence, when: when, explain: explain, remediation: remediation,
                faq: faq, source: source, precedence: precedence, location: SourceLocation(file: file, line: line))
        }

        mutating func pattern() -> Pattern? {
            guard let source = string(), let caseInsensitive = bool() else { return nil }
            return Pattern(deferred: source, caseInsensitive: caseInsensitive)
        }

        mutating func keyed() -> [KeyedPattern]?? {
            optional { reader in
                reader.array { reader -> KeyedPattern? in
                    guard let key = reader.string(), let pattern = reader.optional({ $0.pattern() }) else { return nil }
                    return KeyedPattern(key, pattern)
                }
            }
        }

        mutating func condition() -> RuleCondition? {
            var condition = RuleCondition()
            guard let stage = optional({ $0.strings() }), let grant = optional({ $0.strings() }), let method = optional({ $0.strings() }),
                let provider = optional({ $0.strings() }), let host = optional({ $0.strings() })
            else { return nil }
            (condition.stage, condition.grantType, condition.method, condition.provider, condition.host) = (stage, grant, method, provider, host)
            guard let status = optional({ reader -> [StatusMatcher]? in
                reader.array { reader -> StatusMatcher? in
                    guard let tag = reader.byte(), let value = reader.int() else { return nil }
                    switch tag {
                    case 0: return .code(value)
                    case 1: return .family(value)
                    case 2: return StatusMatcher.none
                    default: return nil
                    }
                }
            }) else { return nil }
            condition.status = status
            guard let oauth = optional({ $0.strings() }), let challenge = keyed(), let header = keyed(), let json = keyed(), let xpath = keyed(),
                let message = optional({ $0.pattern() }), let body = optional({ $0.pattern() }), let vendor = optional({ $0.pattern() }),
                let transport = optional({ $0.strings() }), let facts = optional({ $0.strings() }), let not = optional({ $0.array { $0.condition() } })
            else { return nil }
            condition.oauthError = oauth
            (condition.challenge, condition.header, condition.json, condition.xpath) = (challenge, header, json, xpath)
            (condition.message, condition.body, condition.vendorCode) = (message, body, vendor)
            condition.transport = transport
            if let facts {
                let parsed = facts.compactMap(Fact.init(rawValue:))
                guard parsed.count == facts.count else { return nil }
                condition.fact = parsed
            }
            condition.not = not
            return condition
        }
    }
}
