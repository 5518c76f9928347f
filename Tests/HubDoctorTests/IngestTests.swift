import Foundation
import HubDoctorCore
import HubDoctorMarkup
import HubDoctorTestSupport
import Testing

@Suite struct IngestTests {
    static func hostedFAQ() throws -> IngestDocument {
        HTMLSectionExtractor().document(fromHTML: try Data(contentsOf: Fixtures.url("ingest/hosted-faq.html")))
    }

    @Test func questionHeadingsBecomeSections() throws {
        let document = try Self.hostedFAQ()
        #expect(document.title == "Authentication FAQ")
        #expect(document.sections.map(\.title) == [
            "Which authentication methods are supported?", "How is the API key sent?",
            "What happens when the refresh token expires?", "Can I rotate a client secret without downtime?",
        ])
    }

    @Test func navigationChromeIsLeftOut() throws {
        let all = try Self.hostedFAQ().sections.map { $0.title + "\n" + $0.markdown }.joined(separator: "\n")
        for chrome in [
            "Skip to main content", "cookies", "Search documentation", "Changelog", "Quickstart", "Getting started", "Was this page helpful",
            "Previous:", "On this page", "Privacy", "window.analytics", "Docs / FAQ", "API Reference",
        ] {
            #expect(!all.contains(chrome), "chrome text \"\(chrome)\" leaked into the sections")
        }
    }

    @Test func codeBlocksListsAndLinksAreKept() throws {
        let sections = try Self.hostedFAQ().sections
        let apiKey = try #require(sections.first { $0.title.hasPrefix("How is the API key") })
        #expect(apiKey.markdown.contains("```http\nGET /api/v1/employees HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer YOUR_API_KEY\n```"))
        #expect(apiKey.markdown.contains("`X-API-Key`"))
        let methods = try #require(sections.first)
        #expect(methods.markdown.contains("- **API key** sent as a Bearer token"))
        let expiry = try #require(sections.first { $0.title.contains("refresh token expires") })
        #expect(expiry.markdown.contains("[Reconnecting](https://docs.example.com/reconnect)"))
    }

    @Test func markdownGuideSplitsOnHeadings() throws {
        let document = MarkdownIngest.document(fromMarkdown: try Fixtures.text("ingest/guide.md"))
        #expect(document.title == "Connecting Acme HR")
        #expect(document.sections.map(\.title) == ["API key", "OAuth client credentials"])
        #expect(document.sections[0].markdown.contains("```http\nAuthorization: Bearer <key>\n```"))
    }

    @Test func llmsTextIndexItemsBecomeSections() throws {
        let text = try Fixtures.text("ingest/llms.txt")
        #expect(MarkdownIngest.looksLikeLLMSText(text, name: "llms.txt"))
        let document = MarkdownIngest.document(fromLLMSText: text)
        #expect(document.title == "Example Hub")
        #expect(document.sections.map(\.title) == ["Authentication FAQ", "Reconnecting a connection", "Rate limits", "Changelog"])
        #expect(document.sections[1].markdown.contains("<https://docs.example.com/guides/reconnect.md>"))
    }

    @Test func draftsPassLintInTheShippedBase() throws {
        let drafts = DraftEntries.make(from: try Self.hostedFAQ(), source: "https://docs.example.com/faq")
        #expect(drafts.count == 4)
        let knowledge = try Fixtures.copyOfShippedBase()
        for draft in drafts { try Data(draft.text.utf8).write(to: knowledge.appendingPathComponent("faq/\(draft.fileName)")) }
        let base = KnowledgeBase.load(try KnowledgeFiles.read(directory: knowledge))
        #expect(base.problems.map(\.description) == [])
        let rotate = try #require(base.entries.first { $0.title.hasPrefix("Can I rotate") })
        #expect(rotate.id == "rotate-client-secret-without-downtime")
        #expect(rotate.source == "https://docs.example.com/faq")
    }

    @Test func ingestCommandWritesDrafts() throws {
        let output = try Fixtures.temporaryDirectory("hubdoctor-drafts")
        let result = try CommandRunner.run(["kb", "ingest", Fixtures.url("ingest/hosted-faq.html").path, "--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(files.count == 4)
        #expect(result.stdout.contains("Wrote 4 draft entries"))
        let again = try CommandRunner.run(["kb", "ingest", Fixtures.url("ingest/hosted-faq.html").path, "--output", output.path])
        #expect(again.stderr.contains("exists; left alone"))
    }

    @Test func ingestOfMissingFileExits66() throws {
        let result = try CommandRunner.run(["kb", "ingest", "/nonexistent/page.html"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/page.html"))
    }
}
