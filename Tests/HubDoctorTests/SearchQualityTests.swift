import Foundation
import HubDoctorCore
import HubDoctorMarkup
import HubDoctorSearch
import HubDoctorTestSupport
import Testing
import Yams

/// Queries as users write them must find the entry that answers them in the top 3.
@Suite struct SearchQualityTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let query: String
        let expect: String
        var testDescription: String { "\(query) → \(expect)" }
    }

    static let cases: [Case] = {
        struct File: Decodable { let queries: [Case] }
        let text = (try? Fixtures.text("search/queries.yaml")) ?? ""
        return (try? YAMLDecoder().decode(File.self, from: text).queries) ?? []
    }()

    static let index: KnowledgeIndex? = try? KnowledgeIndex.open(files: try Fixtures.shippedKnowledge(), cacheDirectory: nil)
    static let explainer = TestKnowledge.explainer

    @Test func thereAreAtLeastThirtyQueries() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func expectedEntryRanksInTopThree(_ testCase: Case) throws {
        let index = try #require(Self.index)
        // As `hubdoctor search` does: a pasted error is classified too, and its class entry lifted.
        let boost = KnowledgeIndex.looksLikeError(testCase.query) ? Self.explainer.searchBoost(for: testCase.query) : [:]
        let hits = try index.search(testCase.query, limit: 3, boost: boost)
        #expect(hits.map(\.id).contains(testCase.expect), "top 3 were \(hits.map(\.id))")
    }

    @Test func everyExpectedEntryExists() throws {
        let base = KnowledgeBase.load(try Fixtures.shippedKnowledge())
        for testCase in Self.cases { #expect(base.entry(id: testCase.expect) != nil, "\(testCase.expect) is not an entry") }
    }
}
