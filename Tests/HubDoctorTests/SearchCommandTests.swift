import Foundation
import HubDoctorCore
@testable import HubDoctorSearch
import HubDoctorTestSupport
import Testing

/// `hubdoctor search` as a user runs it: output, JSON, the cache and bad input.
@Suite struct SearchCommandTests {
    static func cacheFiles(_ home: URL) throws -> [URL] {
        let directory = home.appendingPathComponent("cache/hubdoctor")
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil).filter { $0.pathExtension == "sqlite" }
    }

    @Test func jsonFollowsTheContract() throws {
        let result = try CommandRunner.run(["search", "--format", "json", "refresh", "token", "expired"])
        #expect(result.status == 0)
        let object = try result.jsonObject()
        #expect(object["schema"] as? String == "hubdoctor.search/v1")
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(!results.isEmpty && results.count <= 5)
        for item in results {
            #expect(item["id"] is String && item["title"] is String && item["score"] is Double && item["snippet"] is String)
        }
        // Highlight markers are for terminals only.
        #expect(!result.stdout.contains("\u{2}"))
    }

    @Test func textShowsRankedTitlesAndNoColourWhenPiped() throws {
        let result = try CommandRunner.run(["search", "--limit", "2", "rotated", "api", "key"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix(" 1. "))
        #expect(result.stdout.contains(" 2. "))
        #expect(!result.stdout.contains(" 3. "))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test func emptyQueryIsAUsageError() throws {
        let result = try CommandRunner.run(["search", "  "])
        #expect(result.status == 64)
        #expect(result.stderr.contains("search needs a query"))
    }

    @Test func missingKnowledgeFolderExits66() throws {
        let result = try CommandRunner.run(["search", "--knowledge", "/nonexistent/knowledge", "token"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/knowledge does not exist"))
        let viaEnvironment = try CommandRunner.run(["search", "token"], environment: ["HUBDOCTOR_KNOWLEDGE": "/nonexistent/kb"])
        #expect(viaEnvironment.status == 66)
    }

    @Test func unusableCacheDirectoryStillSearches() throws {
        let home = try Fixtures.temporaryDirectory("hubdoctor-home")
        // A cache path below a regular file cannot be created, whoever runs the test (root included).
        let blocker = home.appendingPathComponent("not-a-directory")
        try Data("x".utf8).write(to: blocker)
        let result = try CommandRunner.run(
            ["search", "invalid_client"], environment: ["HOME": home.path, "XDG_CACHE_HOME": blocker.appendingPathComponent("cache").path])
        #expect(result.status == 0)
        #expect(result.stdout.contains(" 1. "))
        #expect(result.stderr.contains("searching without a cache"))
    }

    @Test func indexIsCachedAndCorruptCacheIsRebuilt() throws {
        let home = try Fixtures.temporaryDirectory("hubdoctor-home")
        let environment = ["HOME": home.path, "XDG_CACHE_HOME": home.appendingPathComponent("cache").path]
        let first = try CommandRunner.run(["search", "scopes"], environment: environment)
        #expect(first.status == 0)
        let files = try Self.cacheFiles(home)
        #expect(files.count == 1)
        let cache = try #require(files.first)
        try Data("this is not a database, just garbage bytes".utf8).write(to: cache)
        let second = try CommandRunner.run(["search", "scopes"], environment: environment)
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout)
        let header = try Data(contentsOf: cache).prefix(15)
        #expect(String(decoding: header, as: UTF8.self) == "SQLite format 3")
    }

    @Test func editedKnowledgeGetsANewIndex() throws {
        let knowledge = try Fixtures.copyOfShippedBase()
        let home = try Fixtures.temporaryDirectory("hubdoctor-home")
        let environment = ["HOME": home.path, "XDG_CACHE_HOME": home.appendingPathComponent("cache").path]
        let before = try CommandRunner.run(["search", "--knowledge", knowledge.path, "zebracorn"], environment: environment)
        #expect(before.stdout.contains("No entry matches"))
        try Data("---\nid: zebracorn\ntitle: The zebracorn question\ntags: [zebracorn]\nclasses: []\nmethods: []\n---\nAnswer.\n".utf8)
            .write(to: knowledge.appendingPathComponent("faq/zebracorn.md"))
        let after = try CommandRunner.run(["search", "--knowledge", knowledge.path, "zebracorn"], environment: environment)
        #expect(after.stdout.contains("The zebracorn question"))
        // The stale index was replaced, not kept beside the new one.
        #expect(try Self.cacheFiles(home).count == 1)
    }

    @Test func spellingCorrectionFindsIndexedWords() throws {
        let index = try KnowledgeIndex.open(files: try Fixtures.shippedKnowledge(), cacheDirectory: nil)
        #expect(try index.correction(for: "refesh") == "refresh")
        #expect(try index.correction(for: "tokn") == "token")
        #expect(try index.correction(for: "qqqqqq") == nil)
    }

    @Test func stemmingMakesWordFormsMeet() throws {
        let index = try KnowledgeIndex.open(files: try Fixtures.shippedKnowledge(), cacheDirectory: nil)
        let forms = try ["expires", "expired", "expiry"].map { try Set(index.search($0, limit: 10).map(\.id)) }
        #expect(!forms[0].isEmpty)
        #expect(!forms[0].intersection(forms[1]).isEmpty && !forms[1].intersection(forms[2]).isEmpty)
    }
}
