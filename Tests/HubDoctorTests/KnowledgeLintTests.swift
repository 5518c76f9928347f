import Foundation
@testable import HubDoctorCore
import HubDoctorTestSupport
import Testing
import Yams

/// `kb lint` passes on the shipped base and names file, line and problem for every broken fixture.
@Suite struct KnowledgeLintTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let path: String
        let line: Int?
        let message: String
        let also: String?
        /// How many problems: a number, or "any" when other files are reported too (default 1).
        let count: String?
        let content: String?
        let remove: Bool?
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        struct File: Decodable { let cases: [Case] }
        return (try? YAMLDecoder().decode(File.self, from: (try? Fixtures.text("kb-broken/cases.yaml")) ?? "").cases) ?? []
    }()

    /// A copy of the shipped knowledge base in a temporary folder.
    @Test func shippedBaseIsClean() throws {
        let base = KnowledgeBase.load(try Fixtures.shippedKnowledge())
        #expect(base.problems.map(\.description) == [])
        #expect(base.entries.filter { $0.kind == .failureClass }.count == FailureClass.allCases.count)
    }

    @Test func embeddedCopyMatchesTheFolder() throws {
        let embedded = KnowledgeFiles.embedded()
        let folder = try Fixtures.shippedKnowledge()
        #expect(embedded.files.map(\.path) == folder.files.map(\.path))
        #expect(embedded.contentHash == folder.contentHash, "rebuild: the binary's knowledge is stale")
    }

    @Test func thereAreBrokenFixtures() { #expect(Self.cases.count >= 15) }

    @Test(arguments: cases)
    func brokenFileIsReported(_ testCase: Case) throws {
        let knowledge = try Fixtures.copyOfShippedBase()
        let target = knowledge.appendingPathComponent(testCase.path)
        if testCase.remove == true {
            try FileManager.default.removeItem(at: target)
        } else {
            try Data((testCase.content ?? "").utf8).write(to: target)
        }
        let base = KnowledgeBase.load(try KnowledgeFiles.read(directory: knowledge))
        if testCase.count != "any" {
            #expect(base.problems.count == Int(testCase.count ?? "1"), "problems: \(base.problems.map(\.description))")
        }
        let problem = try #require(
            base.problems.first { $0.message.contains(testCase.message) && $0.location.file.hasSuffix(testCase.path) },
            "no problem in \(testCase.path) says \"\(testCase.message)\": \(base.problems.map(\.description))")
        if let line = testCase.line { #expect(problem.location.line == line) }
        if let also = testCase.also { #expect(base.problems.contains { $0.message.contains(also) }) }
    }

    @Test func lintCommandExits65WithFileAndLine() throws {
        let knowledge = try Fixtures.copyOfShippedBase()
        try Data("---\nid: broken\ntitle: Broken\ntags: [x]\nclasses: [nope]\nmethods: []\n---\nBody.\n".utf8)
            .write(to: knowledge.appendingPathComponent("faq/broken.md"))
        let result = try CommandRunner.run(["kb", "lint", "--knowledge", knowledge.path])
        #expect(result.status == 65)
        #expect(result.stdout.contains("\(knowledge.path)/faq/broken.md:5: 'nope' is not a failure class"))
    }

    @Test func lintCommandPassesOnShippedBase() throws {
        let result = try CommandRunner.run(["kb", "lint"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("OK"))
    }
}

/// The binary cache of the parsed knowledge base reads back what was written.
@Suite struct KnowledgeCacheTests {
    @Test func binaryRoundTripKeepsEveryRuleAndEntry() throws {
        let base = KnowledgeBase.load(try Fixtures.shippedKnowledge())
        let data = KnowledgeBinary.encode(hash: base.contentHash, origin: base.origin, entries: base.entries.map(\.withoutBody), packs: base.rulePacks)
        let decoded = try #require(KnowledgeBinary.decode(data))
        #expect(decoded.hash == base.contentHash)
        #expect(decoded.entries.map(\.id) == base.entries.map(\.id))
        #expect(decoded.entries.map(\.markers) == base.entries.map(\.markers))
        let classes = base.entries.filter { $0.kind == .failureClass }
        for (original, restored) in zip(classes, decoded.entries.filter { $0.kind == .failureClass }) {
            #expect(original.steps == restored.steps && !restored.steps.isEmpty)
        }
        let originalRules = base.rules
        let restoredRules = decoded.packs.flatMap(\.rules)
        #expect(restoredRules.map(\.id) == originalRules.map(\.id))
        for (a, b) in zip(originalRules, restoredRules) {
            #expect(a.when.givenKeys == b.when.givenKeys, "\(a.id)")
            #expect(a.precedence == b.precedence && a.failureClass == b.failureClass && a.confidence == b.confidence && a.remediation == b.remediation)
            #expect(a.when.message?.source == b.when.message?.source && a.when.not?.count == b.when.not?.count)
        }
        // Truncated or altered data reads as "no cache", never as a wrong base.
        #expect(KnowledgeBinary.decode(data.prefix(data.count / 2)) == nil)
        #expect(KnowledgeBinary.decode(Data("HDKB".utf8) + data.dropFirst(4).map { $0 ^ 0xFF }) == nil)
    }
}
