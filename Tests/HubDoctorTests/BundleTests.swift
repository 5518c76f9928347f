import Foundation
import HubDoctorCore
import HubDoctorTestSupport
import Testing

/// The support bundle as a support engineer receives it.
@Suite struct BundleTests {
    /// Runs the mixed demo (three failing methods) into a folder and returns the bundle's files.
    static func mixedBundle() throws -> (files: [String: Data], stdout: String, zip: URL) {
        let folder = try Fixtures.temporaryDirectory("hubdoctor-bundle")
        let result = try CommandRunner.run(["demo", "mixed", "--bundle", folder.path])
        #expect(result.status == 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let zipName = try #require(names.first { $0.hasSuffix(".zip") }, "no bundle in \(names)")
        #expect(names.count == 1, "only the finished bundle is left: \(names)")
        #expect(zipName.range(of: #"^hubdoctor-demo-mixed-\d{8}T\d{6}Z\.zip$"#, options: .regularExpression) != nil)
        let zip = folder.appendingPathComponent(zipName)
        return (try Fixtures.zipEntries(zip), result.stdout, zip)
    }

    @Test func holdsTheContractsFilesAndTheManifestHashesMatch() throws {
        let (files, stdout, zip) = try Self.mixedBundle()
        #expect(Set(files.keys) == ["report.md", "diagnosis.json", "exchanges.har", "environment.json", "ticket.eml", "manifest.json"])
        #expect(stdout.contains("Support bundle: \(zip.path)"))
        #expect(stdout.contains("mailto:integrations@stackone.com?subject="))
        let manifest = try Fixtures.jsonObject(try #require(files["manifest.json"]))
        let listed = try #require(manifest["files"] as? [[String: Any]])
        #expect(Set(listed.compactMap { $0["name"] as? String }) == Set(files.keys).subtracting(["manifest.json"]))
        for item in listed {
            let name = try #require(item["name"] as? String)
            let data = try #require(files[name])
            #expect(item["sha256"] as? String == SHA256.hash(Array(data)).hexString, "\(name) does not match its hash")
            #expect(item["size"] as? Int == data.count)
        }
        let redactions = try #require(manifest["redactions"] as? [String: Int])
        #expect(!redactions.isEmpty && redactions.values.allSatisfy { $0 > 0 })
    }

    @Test func ticketParsesAsAMIMEMessage() throws {
        let (files, _, _) = try Self.mixedBundle()
        let eml = try Fixtures.temporaryDirectory("hubdoctor-eml").appendingPathComponent("ticket.eml")
        try files["ticket.eml"]!.write(to: eml)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", Fixtures.url("scripts/parse_ticket.py").path, eml.path]
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        let parsed = try Fixtures.jsonObject(output)
        #expect((parsed["to"] as? String)?.contains("integrations@stackone.com") == true)
        let subject = try #require(parsed["subject"] as? String)
        // Names the connection, the first failing method and its class.
        #expect(subject.contains("demo-mixed") && subject.contains("basic") && subject.contains("credentials_rejected"), "\(subject)")
        #expect(parsed["unsent"] as? String == "1")
        #expect(parsed["multipart"] as? Bool == true)
        #expect((parsed["defects"] as? [String])?.isEmpty == true)
        let body = try #require(parsed["body"] as? String)
        #expect(body.contains("oauth2_client_credentials") && body.contains("insufficient_scope"))
        #expect(body.contains("What was tried"))
        let attachments = try #require(parsed["attachments"] as? [[String: Any]])
        #expect(attachments.count == 1)
        #expect(attachments.first?["filename"] as? String == "diagnosis.json")
        #expect(attachments.first?["type"] as? String == "application/json")
        let json = try #require(attachments.first?["json"] as? [String: Any])
        #expect(json["schema"] as? String == "hubdoctor.diagnosis/v1")
    }

    @Test func harIsHAR12AndLeavesSuccessBodiesOut() throws {
        let (files, _, _) = try Self.mixedBundle()
        let har = try Fixtures.jsonObject(try #require(files["exchanges.har"]))
        let log = try #require(har["log"] as? [String: Any])
        #expect(log["version"] as? String == "1.2")
        #expect((log["creator"] as? [String: Any])?["name"] as? String == "hubdoctor")
        let entries = try #require(log["entries"] as? [[String: Any]])
        #expect(entries.count >= 5)
        var sawOmittedSuccess = false
        for entry in entries {
            for key in ["startedDateTime", "time", "request", "response", "cache", "timings"] { #expect(entry[key] != nil, "entry lacks \(key)") }
            let request = try #require(entry["request"] as? [String: Any])
            for key in ["method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize"] { #expect(request[key] != nil, "request lacks \(key)") }
            let response = try #require(entry["response"] as? [String: Any])
            for key in ["status", "statusText", "httpVersion", "cookies", "headers", "content", "redirectURL", "headersSize", "bodySize"] { #expect(response[key] != nil, "response lacks \(key)") }
            let timings = try #require(entry["timings"] as? [String: Any])
            for key in ["send", "wait", "receive"] { #expect(timings[key] is Double || timings[key] is Int, "timings lack \(key)") }
            let content = try #require(response["content"] as? [String: Any])
            let stage = (entry["_hubdoctor"] as? [String: Any])?["stage"] as? String
            if let status = response["status"] as? Int, (200..<300).contains(status), stage == "resource" || stage == "admin" {
                // Employee lists are personal data: status, size and type stay, the text goes.
                #expect(content["text"] == nil)
                #expect((content["size"] as? Int ?? 0) > 0)
                #expect((content["comment"] as? String)?.contains("personal data") == true)
                sawOmittedSuccess = true
            }
            // Authorization headers keep their scheme and lose the credential.
            for header in request["headers"] as? [[String: String]] ?? [] where header["name"]?.lowercased() == "authorization" {
                #expect(header["value"]?.contains("[redacted:") == true || header["value"]?.contains(".eyJ") == true, "\(header)")
            }
        }
        #expect(sawOmittedSuccess)
    }

    @Test func environmentDescribesTheMachineWithoutProxyValues() throws {
        let (files, _, _) = try Self.mixedBundle()
        let environment = try Fixtures.jsonObject(try #require(files["environment.json"]))
        for key in ["hubdoctor", "os", "kernel", "libcurl", "tls", "proxy_variables", "clock_offset_seconds"] { #expect(environment[key] != nil, "lacks \(key)") }
        #expect((environment["libcurl"] as? String)?.isEmpty == false)
        let proxies = try #require(environment["proxy_variables"] as? [String: Bool])
        #expect(proxies.keys.contains("HTTPS_PROXY"))
    }

    @Test func aBundleThatCannotBeWrittenLeavesNothingBehind() throws {
        let folder = try Fixtures.temporaryDirectory("hubdoctor-bundle-fail")
        // The destination exists as a non-empty folder: the final rename must fail.
        let target = folder.appendingPathComponent("taken.zip", isDirectory: true)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: target.appendingPathComponent("keep"))
        let result = try CommandRunner.run(["demo", "mixed", "--bundle", target.path])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("support bundle"))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left == ["taken.zip"], "left behind: \(left)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["keep"])
    }

    @Test func reportsInEveryFormat() throws {
        let text = try CommandRunner.run(["demo", "mixed", "--no-bundle"])
        #expect(text.stdout.contains("✔ api_key") && text.stdout.contains("✘ basic"))
        #expect(text.stdout.contains("What to do:") && text.stdout.contains("1. "))
        #expect(text.stdout.contains("hubdoctor kb show credentials_rejected"))
        #expect(!text.stdout.contains("\u{1B}["), "colour when piped")
        #expect(text.stdout.contains("credential: ") && text.stdout.contains("••••"))
        let markdown = try CommandRunner.run(["demo", "mixed", "--no-bundle", "--format", "markdown"])
        #expect(markdown.stdout.hasPrefix("# hubdoctor diagnosis: demo-mixed"))
        #expect(markdown.stdout.contains("| `basic` | basic | ✘ fails | `credentials_rejected` |"))
        let json = try CommandRunner.run(["demo", "mixed", "--no-bundle", "--format", "json"])
        let object = try json.jsonObject()
        #expect(object["bundle"] is NSNull)
        #expect((object["methods"] as? [[String: Any]])?.count == 5)
        let verbose = try CommandRunner.run(["demo", "mixed", "--no-bundle", "--verbose"])
        #expect(verbose.stdout.contains("> Authorization: Bearer [redacted:") || verbose.stdout.contains("> Authorization: Bearer eyJ"))
        #expect(verbose.stdout.contains("* timings (ms):"))
    }
}
