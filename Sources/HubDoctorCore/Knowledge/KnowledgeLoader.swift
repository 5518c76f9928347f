import Foundation

/// Reads every file of a knowledge base into entries and rule packs and records each problem
/// with its file and line. This is the whole of `kb lint`.
struct KnowledgeLoader {
    let files: KnowledgeFiles
    var includeRules = true
    var problems: [LintProblem] = []
    var entries: [KnowledgeEntry] = []
    var packs: [RulePack] = []
    /// References to check once every id is known: (id, where it was written, what kind of reference).
    var entryReferences: [(id: String, location: SourceLocation, field: String)] = []
    var providerReferences: [(id: String, location: SourceLocation)] = []
    var entryLocations: [String: SourceLocation] = [:]
    var ruleLocations: [String: SourceLocation] = [:]

    init(files: KnowledgeFiles) { self.files = files }

    static let entryKeys = ["id", "title", "tags", "classes", "methods", "providers", "see_also", "source"]
    static let providerKeys = entryKeys + ["sources", "aliases", "hosts", "markers", "try_schemes"]
    static let classSections = ["What it means", "How to confirm", "How to fix", "When to contact support"]
    static let providerSections = [
        "How it authenticates", "Rights the account needs", "Known failure modes", "Connection file template", "Sources",
    ]
    static let ruleKeys = ["id", "class", "confidence", "when", "explain", "remediation", "faq", "source", "precedence"]

    mutating func load() -> KnowledgeBase {
        for file in files.files {
            let folder = String(file.path.prefix { $0 != "/" })
            if folder == "rules" {
                if includeRules { loadRules(file) }
            } else if let kind = KnowledgeEntry.Kind(folder: folder), file.path.hasSuffix(".md") {
                loadEntry(file, kind: kind)
            } else {
                problem(file.path, nil, "only .md entries belong in \(folder)/; move or rename this file.")
            }
        }
        checkReferences()
        return KnowledgeBase(
            entries: entries, rulePacks: packs, problems: problems, contentHash: files.contentHash, origin: files.origin)
    }

    private mutating func problem(_ path: String, _ line: Int?, _ message: String) {
        problems.append(LintProblem(SourceLocation(file: files.displayPath(path), line: line), message))
    }

    private mutating func record(_ error: Error, path: String) {
        if let error = error as? HubDoctorError {
            problems.append(LintProblem(error.location ?? SourceLocation(file: files.displayPath(path), line: nil), error.detail))
        } else {
            problem(path, nil, "\(error)")
        }
    }

    // MARK: - Entries

    private mutating func loadEntry(_ file: KnowledgeFiles.File, kind: KnowledgeEntry.Kind) {
        let (split, missingClose) = FrontMatter.split(file.text)
        guard let front = split else {
            problem(
                file.path, 1,
                missingClose
                    ? "the front matter opened with `---` is never closed; add a `---` line after it."
                    : "the file must start with a YAML front matter between `---` lines (id, title, tags, classes, methods).")
            return
        }
        let display = files.displayPath(file.path)
        do {
            guard let root = try YAMLNode.parse(front.yaml, file: display, lineOffset: front.firstLine - 1), root.isMapping else {
                problem(file.path, front.firstLine, "the front matter is empty or not a mapping of fields.")
                return
            }
            try root.requireKnownKeys(kind == .provider ? Self.providerKeys : Self.entryKeys)
            let entry = try readEntry(root, front: front, file: file, kind: kind)
            if let previous = entryLocations[entry.id] {
                // Neither file is "the" original: name both.
                problem(file.path, root["id"]?.line, "duplicate id '\(entry.id)' (also used at \(previous.prefix.dropLast(2))).")
                problems.append(LintProblem(previous, "duplicate id '\(entry.id)' (also used at \(display):\(root["id"]?.line ?? 0))."))
                return
            }
            entryLocations[entry.id] = root["id"]?.location ?? SourceLocation(file: display, line: nil)
            checkShape(of: entry, root: root, front: front, file: file)
            entries.append(entry)
        } catch {
            record(error, path: file.path)
        }
    }

    private mutating func readEntry(_ root: YAMLNode, front: FrontMatter, file: KnowledgeFiles.File, kind: KnowledgeEntry.Kind) throws
        -> KnowledgeEntry
    {
        func required(_ key: String) throws -> YAMLNode {
            guard let node = root[key] else { throw root.error("missing required field '\(key)'.") }
            return node
        }
        let idNode = try required("id")
        let id = try idNode.nonEmptyString()
        guard id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }), id.first?.isLetter == true else {
            throw idNode.error("the id '\(id)' must be lower-case letters, digits, '-', '_' or '.', starting with a letter.")
        }
        let title = try required("title").nonEmptyString()
        let tags = try required("tags").stringList()
        let classesNode = try required("classes")
        let classes = try classesNode.stringList()
        for (name, item) in zip(classes, try classesNode.sequenceItems()) { _ = try failureClass(name, at: item) }
        let methodsNode = try required("methods")
        let methods = try methodsNode.stringList()
        for (index, name) in methods.enumerated() where AuthType(rawValue: name) == nil {
            throw (try methodsNode.sequenceItems()[index]).error(
                "'\(name)' is not an auth type; use one of \(AuthType.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let providers = try root["providers"]?.stringList() ?? []
        for item in try root["providers"]?.sequenceItems() ?? [] { providerReferences.append((try item.string(), item.location)) }
        let seeAlso = try root["see_also"]?.stringList() ?? []
        for item in try root["see_also"]?.sequenceItems() ?? [] { entryReferences.append((try item.string(), item.location, "see_also")) }
        var entry = KnowledgeEntry(
            id: id, kind: kind, title: title, tags: tags, classes: classes, methods: methods, providers: providers,
            seeAlso: seeAlso, source: try root["source"]?.string(), body: front.body, path: file.path)
        if kind == .provider {
            // A note without sources is still a note: report it and keep loading, so references to it resolve.
            if let sourcesNode = root["sources"] {
                entry.sources = try sourcesNode.stringList()
                if entry.sources.isEmpty { problems.append(LintProblem(sourcesNode.location, "a provider note must cite at least one public source URL.")) }
                for (index, url) in entry.sources.enumerated() where !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                    problems.append(LintProblem(try sourcesNode.sequenceItems()[index].location, "'\(url)' is not an http(s) URL."))
                }
            } else {
                problems.append(LintProblem(root.location, "missing required field 'sources': the vendor's public pages this note is written from."))
            }
            entry.aliases = try root["aliases"]?.stringList() ?? []
            entry.hosts = try root["hosts"]?.stringList() ?? []
            for item in try root["markers"]?.sequenceItems() ?? [] {
                _ = try RuleConditionParser.compile(try item.nonEmptyString(), at: item)
                entry.markers.append(try item.string())
            }
            entry.trySchemes = try root["try_schemes"]?.bool() ?? false
        }
        return entry
    }

    /// Folder-specific rules: file names, required sections, the class list, the provider template.
    private mutating func checkShape(of entry: KnowledgeEntry, root: YAMLNode, front: FrontMatter, file: KnowledgeFiles.File) {
        let stem = URL(fileURLWithPath: file.path).deletingPathExtension().lastPathComponent
        if entry.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problem(file.path, front.bodyLine, "the entry has no body; write the answer below the front matter.")
        }
        switch entry.kind {
        case .faq:
            break
        case .failureClass:
            if FailureClass(rawValue: entry.id) == nil {
                problem(file.path, root["id"]?.line, "entries in classes/ must have a failure class id as their id; '\(entry.id)' is not one.")
            }
            if stem != entry.id { problem(file.path, root["id"]?.line, "the file name must be the id: rename it to \(entry.id).md.") }
            if !entry.classes.contains(entry.id) { problem(file.path, root["classes"]?.line, "'classes' must list the entry's own class '\(entry.id)'.") }
            checkSections(Self.classSections, in: entry, file: file, front: front)
            if entry.steps.isEmpty {
                problem(file.path, front.bodyLine, "'## How to fix' must hold a numbered list of steps (1. ..., 2. ...).")
            }
        case .provider:
            if stem != entry.id { problem(file.path, root["id"]?.line, "the file name must be the id: rename it to \(entry.id).md.") }
            if !entry.providers.contains(entry.id) { problem(file.path, root["providers"]?.line ?? root.line, "'providers' must list the note's own id '\(entry.id)'.") }
            checkSections(Self.providerSections, in: entry, file: file, front: front)
            if let template = entry.connectionTemplate {
                // Report template lines as lines of the note itself.
                let fenceLine = Self.templateFenceLine(in: file.text)
                do {
                    var parser = ConnectionFileParser(file: "template", environment: .placeholders)
                    _ = try parser.parse(template)
                } catch let error as HubDoctorError {
                    let line = error.location?.line.flatMap { line in fenceLine.map { $0 + line } }
                    problem(file.path, line, "the connection file template is not a valid connection file: \(error.detail)")
                } catch {
                    problem(file.path, fenceLine, "the connection file template is not valid: \(error)")
                }
            } else {
                problem(file.path, front.bodyLine, "'## Connection file template' must hold a ```yaml block.")
            }
        }
    }

    /// The file line of the ```yaml fence under "## Connection file template".
    static func templateFenceLine(in text: String) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let heading = lines.firstIndex(where: { $0.lowercased().hasPrefix("## connection file template") }) else { return nil }
        return lines[heading...].firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }.map { $0 + 1 }
    }

    private mutating func checkSections(_ required: [String], in entry: KnowledgeEntry, file: KnowledgeFiles.File, front: FrontMatter) {
        let headings = MarkdownText.headings(in: entry.body).map { $0.lowercased() }
        var lastIndex = -1
        for section in required {
            guard let index = headings.firstIndex(of: section.lowercased()) else {
                problem(file.path, front.bodyLine, "missing the section '## \(section)'.")
                continue
            }
            if index < lastIndex { problem(file.path, front.bodyLine, "the section '## \(section)' is out of order; expected \(required.map { "'\($0)'" }.joined(separator: ", ")).") }
            lastIndex = index
        }
    }

    // MARK: - Rules

    private mutating func loadRules(_ file: KnowledgeFiles.File) {
        guard file.path.hasSuffix(".yaml") || file.path.hasSuffix(".yml") else {
            problem(file.path, nil, "only .yaml rule packs belong in rules/.")
            return
        }
        let display = files.displayPath(file.path)
        do {
            guard let root = try YAMLNode.parse(file.text, file: display), root.isMapping else {
                problem(file.path, 1, "a rule pack must be a mapping with 'provider', 'sources' and 'rules'.")
                return
            }
            try root.requireKnownKeys(["provider", "sources", "rules"])
            guard let providerNode = root["provider"] else { throw root.error("missing required field 'provider'.") }
            let provider = try providerNode.nonEmptyString()
            let stem = URL(fileURLWithPath: file.path).deletingPathExtension().lastPathComponent
            if stem != provider { problem(file.path, providerNode.line, "the file name must be the provider: rename it to \(provider).yaml.") }
            if provider != "generic" { providerReferences.append((provider, providerNode.location)) }
            let sources = try root["sources"]?.stringList() ?? []
            guard let rulesNode = root["rules"] else { throw root.error("missing required field 'rules'.") }
            var rules: [Rule] = []
            for item in try rulesNode.sequenceItems() {
                do {
                    let rule = try readRule(item, provider: provider)
                    if let previous = ruleLocations[rule.id] {
                        problem(file.path, item["id"]?.line, "duplicate rule id '\(rule.id)' (also at \(previous.prefix.dropLast(2))).")
                        continue
                    }
                    ruleLocations[rule.id] = rule.location
                    rules.append(rule)
                } catch {
                    record(error, path: file.path)
                }
            }
            packs.append(RulePack(provider: provider, sources: sources, rules: rules, path: file.path))
        } catch {
            record(error, path: file.path)
        }
    }

    private mutating func readRule(_ node: YAMLNode, provider: String) throws -> Rule {
        try node.requireKnownKeys(Self.ruleKeys)
        func required(_ key: String) throws -> YAMLNode {
            guard let value = node[key] else { throw node.error("the rule is missing required field '\(key)'.") }
            return value
        }
        let idNode = try required("id")
        let id = try idNode.nonEmptyString()
        if !id.hasPrefix(packPrefix(provider) + ".") {
            throw idNode.error("rule ids in this pack start with '\(packPrefix(provider)).'; rename '\(id)'.")
        }
        let classNode = try required("class")
        let className = try classNode.nonEmptyString()
        let failureClass = try failureClass(className, at: classNode)
        let confidenceNode = try required("confidence")
        let confidence = try confidenceNode.double()
        guard (0...1).contains(confidence) else { throw confidenceNode.error("confidence must be between 0 and 1, not \(confidence).") }
        let condition = try RuleConditionParser.parse(try required("when"))
        let explain = try required("explain").nonEmptyString()
        let remediation = try node["remediation"]?.stringList() ?? []
        let faq = try node["faq"]?.stringList() ?? []
        for item in try node["faq"]?.sequenceItems() ?? [] { entryReferences.append((try item.string(), item.location, "faq")) }
        let source = try node["source"]?.nonEmptyString()
        if provider != "generic", source == nil {
            throw node.error("rule '\(id)' needs a 'source': the public page that documents this error.")
        }
        var precedence = condition.defaultPrecedence
        if let precedenceNode = node["precedence"] {
            let name = try precedenceNode.nonEmptyString()
            guard let value = Rule.Precedence(rawValue: name) else {
                throw precedenceNode.error("precedence must be one of \(Rule.Precedence.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            precedence = value
        }
        return Rule(
            id: id, pack: provider, failureClass: failureClass, confidence: confidence, when: condition, explain: explain,
            remediation: remediation, faq: faq, source: source, precedence: precedence, location: node.location)
    }

    private func failureClass(_ name: String, at node: YAMLNode) throws -> FailureClass {
        if let value = FailureClass(rawValue: name) { return value }
        throw node.error("'\(name)' is not a failure class of the contract.\(Spelling.suggestion(for: name, in: FailureClass.allCases.map(\.rawValue)))")
    }

    private func packPrefix(_ provider: String) -> String {
        switch provider {
        case "microsoft-entra": "entra"
        default: provider
        }
    }

    // MARK: - Cross references

    private mutating func checkReferences() {
        let ids = Set(entries.map(\.id))
        for reference in entryReferences where !ids.contains(reference.id) {
            let suggestion = Spelling.suggestion(for: reference.id, in: Array(ids))
            problems.append(LintProblem(reference.location, "\(reference.field) names '\(reference.id)', which is no entry's id.\(suggestion)"))
        }
        let providerIDs = Set(entries.filter { $0.kind == .provider }.map(\.id))
        for reference in providerReferences where !providerIDs.contains(reference.id) {
            problems.append(LintProblem(reference.location, "'\(reference.id)' is not a provider; add providers/\(reference.id).md or fix the name."))
        }
        let classIDs = Set(entries.filter { $0.kind == .failureClass }.map(\.id))
        for failureClass in FailureClass.allCases where !classIDs.contains(failureClass.rawValue) {
            problems.append(
                LintProblem(
                    SourceLocation(file: files.displayPath("classes/\(failureClass.rawValue).md"), line: nil),
                    "the failure class '\(failureClass.rawValue)' has no entry; every class of the contract needs one."))
        }
    }
}

