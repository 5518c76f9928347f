/// Reads the `when:` mapping of a rule, checking every key, value and pattern.
enum RuleConditionParser {
    static let stages = Stage.allCases.map(\.rawValue)
    static let grants = ["client_credentials", "authorization_code", "refresh_token"]

    static func parse(_ node: YAMLNode) throws -> RuleCondition {
        try node.requireKnownKeys(RuleCondition.keys)
        var condition = RuleCondition()
        if node.mappingEntriesCount == 0 { throw node.error("'when' must give at least one condition.") }
        condition.stage = try words(node["stage"], allowed: stages)
        condition.grantType = try words(node["grant_type"], allowed: grants)
        condition.method = try words(node["method"], allowed: AuthType.allCases.map(\.rawValue))
        condition.provider = try words(node["provider"], allowed: nil)
        condition.host = try words(node["host"], allowed: nil)
        if let statusNode = node["status"] {
            let items = statusNode.isSequence ? try statusNode.sequenceItems() : [statusNode]
            condition.status = try items.map { item in
                let text = try item.string()
                guard let matcher = StatusMatcher(text) else {
                    throw item.error("'\(text)' is not a status: use a code (401), a class (4xx) or none.")
                }
                return matcher
            }
        }
        condition.oauthError = try words(node["oauth_error"], allowed: nil)
        condition.challenge = try patternMap(node["challenge"])
        if let headerNode = node["header"] {
            condition.header = try headerNode.mappingEntries().map { name, value in
                let text = try value.string()
                return KeyedPattern(name, text == "present" ? nil : try compile(text, at: value))
            }
        }
        condition.json = try patternMap(node["json"])
        condition.xpath = try patternMap(node["xpath"])
        condition.message = try pattern(node["message"])
        condition.body = try pattern(node["body"])
        condition.vendorCode = try pattern(node["vendor_code"])
        condition.transport = try words(node["transport"], allowed: nil)?.map { $0.uppercased() }
        if let factNode = node["fact"] {
            let items = factNode.isSequence ? try factNode.sequenceItems() : [factNode]
            condition.fact = try items.map { item in
                let name = try item.string()
                guard let fact = Fact(rawValue: name) else {
                    throw item.error("'\(name)' is not a fact; known facts: \(Fact.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                return fact
            }
        }
        if let notNode = node["not"] { condition.not = [try parse(notNode)] }
        return condition
    }

    private static func words(_ node: YAMLNode?, allowed: [String]?) throws -> [String]? {
        guard let node else { return nil }
        let items = node.isSequence ? try node.sequenceItems() : [node]
        return try items.map { item in
            let value = try item.nonEmptyString()
            if let allowed, !allowed.contains(value) {
                throw item.error("'\(value)' is not allowed in '\(node.field)'; use one of \(allowed.joined(separator: ", ")).")
            }
            return value
        }
    }

    private static func pattern(_ node: YAMLNode?) throws -> Pattern? {
        guard let node else { return nil }
        return try compile(try node.nonEmptyString(), at: node)
    }

    private static func patternMap(_ node: YAMLNode?) throws -> [KeyedPattern]? {
        guard let node else { return nil }
        return try node.mappingEntries().map { key, value in KeyedPattern(key, try compile(try value.nonEmptyString(), at: value)) }
    }

    static func compile(_ text: String, at node: YAMLNode) throws -> Pattern {
        do {
            return try Pattern(text)
        } catch {
            throw node.error("the pattern '\(text)' does not compile as a regular expression; escape special characters with a backslash.")
        }
    }
}

extension YAMLNode {
    var mappingEntriesCount: Int { node.mapping?.count ?? 0 }
}
