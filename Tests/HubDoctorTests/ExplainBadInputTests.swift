import Foundation
import HubDoctorCore
import HubDoctorMarkup
import HubDoctorTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hubdoctor explain` on broken, huge and hostile input, in Core (`Explainer`) and through the
/// built binary: the right exit status, a message naming file, line and field, and no crash,
/// hang, entity expansion or file disclosure.
@Suite struct ExplainBadInputTests {
    static let knowledge = TestKnowledge.base
    static let explainer = TestKnowledge.explainer

    static func fixture(_ name: String) -> String { Fixtures.url("explain/\(name)").path }

    static func explain(_ text: String, name: String) throws -> Explanation {
        try explainer.explain(Data(text.utf8), name: name)
    }

    /// `--format json` output, parsed.
    static func json(_ result: CommandRunner.Result) throws -> [String: Any] { try result.jsonObject() }

    static func classes(_ result: CommandRunner.Result) throws -> [String] {
        let entries = try #require(try json(result)["entries"] as? [[String: Any]])
        return entries.compactMap { $0["class"] as? String }
    }

    /// A HAR 1.2 document with one entry per exchange given.
    static func har(_ entries: [[String: Any]]) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["log": ["version": "1.2", "creator": ["name": "hubdoctor-tests", "version": "1"], "entries": entries]])
    }

    static func entry(
        method: String = "GET", url: String, requestBody: String? = nil, status: Int, headers: [String: String] = [:], body: String? = nil,
        base64Body: Data? = nil
    ) -> [String: Any] {
        var request: [String: Any] = ["method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": [[String: Any]]()]
        if let requestBody { request["postData"] = ["mimeType": "application/x-www-form-urlencoded", "text": requestBody] }
        var content: [String: Any] = ["size": body?.utf8.count ?? base64Body?.count ?? 0, "mimeType": headers["Content-Type"] ?? "text/plain"]
        if let body { content["text"] = body }
        if let base64Body {
            content["text"] = base64Body.base64EncodedString()
            content["encoding"] = "base64"
        }
        let response: [String: Any] = [
            "status": status, "httpVersion": "HTTP/1.1", "headers": headers.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] },
            "content": content,
        ]
        return ["startedDateTime": "2024-05-02T09:14:03.120Z", "time": 120, "request": request, "response": response]
    }

    // MARK: - Malformed HAR files: exit 65, file, line and field

    @Test func harThatIsNotJSONNamesFileAndLine() throws {
        let path = Self.fixture("not-json.har")
        let error = try #require(throws: HubDoctorError.self) { try Self.explainer.explain(try Data(contentsOf: URL(fileURLWithPath: path)), name: path) }
        #expect(error.kind == .dataError)
        #expect(error.location == SourceLocation(file: path, line: 5), "\(error.message)")
        #expect(error.message.contains("not valid JSON"))

        let result = try CommandRunner.run(["explain", path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(path):5: "), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// A HAR cut short (a truncated copy): the problem is at the end, and the message says which line that is.
    @Test func truncatedHARNamesItsLastLine() throws {
        let path = Self.fixture("truncated.har")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).count - (data.last == 0x0A ? 1 : 0)
        let error = try #require(throws: HubDoctorError.self) { try Self.explainer.explain(data, name: path) }
        #expect(error.kind == .dataError)
        #expect(error.location == SourceLocation(file: path, line: lastLine), "\(error.message)")
        let result = try CommandRunner.run(["explain", path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(path):\(lastLine): "), "\(result.stderr)")
    }

    struct MissingField: CustomTestStringConvertible, Sendable {
        let json: String
        let field: String
        var testDescription: String { field }
    }

    @Test(arguments: [
        MissingField(json: #"{"log": {"version": "1.2"}}"#, field: "'log.entries'"),
        MissingField(json: #"{"log": {"entries": {"request": {}}}}"#, field: "'log.entries'"),
        MissingField(json: #"{"log": {"entries": [{"response": {"status": 401}}]}}"#, field: "'log.entries[0].request'"),
        MissingField(json: #"{"log": {"entries": [{"request": {"method": "GET"}, "response": {"status": 401}}]}}"#, field: "'log.entries[0].request.url'"),
        MissingField(json: #"{"log": {"entries": [{"request": {"url": "https://a.example.com/", "method": "GET"}, "response": {"status": 200}}, {"request": {"url": ""}}]}}"#, field: "'log.entries[1].request.url'"),
        MissingField(json: #"{"log": {"entries": [42]}}"#, field: "'log.entries[0]'"),
        MissingField(json: #"{"log": "1.2"}"#, field: "'log'"),
        MissingField(json: #"[{"log": {}}]"#, field: "'log'"),
    ])
    func harWithMissingFieldsNamesTheField(_ testCase: MissingField) throws {
        let error = try #require(throws: HubDoctorError.self) { try Self.explain(testCase.json, name: "session.har") }
        #expect(error.kind == .dataError)
        #expect(error.location?.file == "session.har")
        #expect(error.message.contains(testCase.field), "\"\(error.message)\" does not name \(testCase.field)")
    }

    @Test(arguments: ["missing-entries.har", "entry-without-url.har"])
    func binaryExits65NamingTheField(_ name: String) throws {
        let path = Self.fixture(name)
        let result = try CommandRunner.run(["explain", path, "--format", "json"])
        #expect(result.status == 65)
        #expect(result.stderr.contains(path))
        #expect(result.stderr.contains(name == "missing-entries.har" ? "'log.entries'" : "'log.entries[0].request.url'"), "\(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing but JSON on stdout, and no JSON for an error")
    }

    @Test func binaryFileIsADataError() throws {
        // A PNG header and a little image data: NUL bytes a text never has.
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52])
        png += Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        for name in ["capture.har", "screenshot.png"] {
            let error = try #require(throws: HubDoctorError.self) { try Self.explainer.explain(png, name: name) }
            #expect(error.kind == .dataError)
            #expect(error.message.hasPrefix("\(name): "))
            #expect(error.message.contains("binary"))
        }
        let folder = try Fixtures.temporaryDirectory("hubdoctor-explain")
        let file = folder.appendingPathComponent("screenshot.png")
        try png.write(to: file)
        let result = try CommandRunner.run(["explain", file.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains(file.path))
        let piped = try CommandRunner.run(["explain", "-"], stdin: png)
        #expect(piped.status == 65)
        #expect(piped.stderr.contains("standard input"))
    }

    // MARK: - Missing and empty input

    @Test func missingInputFileExits66() throws {
        for path in ["/nonexistent-\(UUID().uuidString)/session.har", "does-not-exist-\(UUID().uuidString).json"] {
            let result = try CommandRunner.run(["explain", path])
            #expect(result.status == 66, "\(path): \(result.stderr)")
            #expect(result.stderr.contains(path))
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func emptyInputIsAUsageError() throws {
        for data in [Data(), Data(" \n\t\r\n".utf8)] {
            let error = try #require(throws: HubDoctorError.self) { try Self.explainer.explain(data, name: "standard input") }
            #expect(error.kind == .usage)
            #expect(error.exitCode == 64)
        }
        for arguments in [["explain", "-"], ["explain"]] {
            let result = try CommandRunner.run(arguments, stdin: Data())
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("empty"))
        }
        let blank = try CommandRunner.run(["explain", "-"], stdin: Data("\n\n   \n".utf8))
        #expect(blank.status == 64)
    }

    // MARK: - Text input

    /// Microsoft's wording for AADSTS700082, from
    /// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes (dates filled in here).
    static let aadsts700082 =
        "invalid_grant: AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2024-01-01T00:00:00Z and was inactive for 90.00:00:00."

    @Test func pastedMessageAsTheArgument() throws {
        let result = try CommandRunner.run(["explain", Self.aadsts700082])
        #expect(result.status == 1)
        #expect(result.stdout.contains("refresh_token_invalid"))
        let json = try CommandRunner.run(["explain", "--format", "json", Self.aadsts700082])
        #expect(json.status == 1)
        let object = try Self.json(json)
        #expect(object["schema"] as? String == "hubdoctor.explanation/v1")
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.count == 1, "text input is one entry")
        #expect(entries.first?["class"] as? String == "refresh_token_invalid")
        #expect(entries.first?["index"] as? Int == 0)
    }

    /// A response pasted as status line, blank line, body — no headers — is read as a response:
    /// the body's error is the evidence, and the status line is not taken for the provider's words.
    @Test func statusLineWithoutHeadersIsAResponse() throws {
        let pasted = Data("HTTP/1.1 401\r\n\r\n{\"error\":\"invalid_grant\"}".utf8)
        let explanation = try Self.explainer.explain(pasted, name: "standard input")
        #expect(explanation.input == .curl)
        let entry = try #require(explanation.entries.first)
        #expect(entry.status == 401)
        #expect(entry.finding.failureClass == .refreshTokenInvalid)
        #expect(!entry.finding.evidence.joined().contains("HTTP/1.1"), "evidence: \(entry.finding.evidence)")
        // The rule's "({description})" has nothing to show, so the parenthesis is left out.
        #expect(!entry.finding.summary.contains("(not reported)") && !entry.finding.summary.contains("()"), "\(entry.finding.summary)")
        #expect(entry.finding.summary.hasSuffix("no longer valid."), "\(entry.finding.summary)")
    }

    @Test func curlVerboseOutputOnStandardInput() throws {
        let transcript = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("curl-v-expired-token.txt")))
        let result = try CommandRunner.run(["explain", "-", "--format", "json"], stdin: transcript)
        #expect(result.status == 1)
        #expect(try Self.classes(result) == ["access_token_expired"])
        // The bearer token in the `> Authorization:` line is never printed.
        #expect(!result.stdout.contains("mF_9.B5f-4.1JqM"))
        // In Core the input is recognised as a transcript, with the status it shows.
        let explanation = try Self.explainer.explain(transcript, name: "standard input")
        #expect(explanation.input == .curl)
        #expect(explanation.entries.first?.status == 401)

        let dns = try CommandRunner.run(["explain", "--format", "json"], stdin: try Data(contentsOf: URL(fileURLWithPath: Self.fixture("curl-v-dns.txt"))))
        #expect(dns.status == 1)
        #expect(try Self.classes(dns) == ["dns_failure"])
    }

    // MARK: - HAR entries that failed in the browser

    @Test func harEntriesWithBrowserErrors() throws {
        let path = Self.fixture("browser-errors.har")
        let explanation = try Self.explainer.explain(try Data(contentsOf: URL(fileURLWithPath: path)), name: path)
        #expect(explanation.input == .har)
        #expect(explanation.entries.map(\.finding.failureClass) == [.ok, .dnsFailure, .connectionFailed])
        #expect(explanation.entries[1].finding.evidence.contains { $0.contains("net::ERR_NAME_NOT_RESOLVED") })
        #expect(explanation.exitCode == 1)

        let result = try CommandRunner.run(["explain", path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("dns_failure"))
        #expect(result.stdout.contains("connection_failed"))
    }

    /// The JSON of the contract: `{"schema": "hubdoctor.explanation/v1", "entries": [{"index", "class",
    /// "confidence", "summary", "evidence", "remediation", "faq"}]}`, one entry per HAR entry.
    @Test func jsonOutputFollowsTheContract() throws {
        let path = Self.fixture("browser-errors.har")
        let har = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let harEntries = try #require((har["log"] as? [String: Any])?["entries"] as? [Any])
        let result = try CommandRunner.run(["explain", path, "--format", "json"])
        let object = try Self.json(result)
        #expect(object["schema"] as? String == "hubdoctor.explanation/v1")
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.count == harEntries.count)
        var classes: [FailureClass] = []
        for (position, entry) in entries.enumerated() {
            #expect(entry["index"] as? Int == position)
            let failureClass = try #require((entry["class"] as? String).flatMap(FailureClass.init(rawValue:)), "entry \(position): class \(entry["class"] ?? "none")")
            classes.append(failureClass)
            let confidence = try #require(entry["confidence"] as? Double)
            #expect((0...1).contains(confidence))
            #expect(!((entry["summary"] as? String) ?? "").isEmpty)
            let evidence = try #require(entry["evidence"] as? [String])
            #expect(!evidence.isEmpty)
            #expect(entry["remediation"] is [String])
            let faq = try #require(entry["faq"] as? [[String: Any]])
            for reference in faq {
                let id = try #require(reference["id"] as? String)
                #expect(reference["title"] is String)
                #expect(Self.knowledge.entries.contains { $0.id == id }, "faq id \(id) is not in the knowledge base")
            }
        }
        #expect(result.status == ExitStatus.forClasses(classes))
    }

    // MARK: - Huge and hostile bodies

    /// A run of the built binary under GNU time, for its own peak memory. (wait4's rusage will not
    /// do: a child posix_spawn'ed from the test runner inherits the runner's peak through exec.)
    struct Measured {
        var status: Int32
        var stdout: String
        var stderr: String
        var seconds: Double
        var maxResidentKB: Int
    }

    static func runMeasured(_ arguments: [String], timeout: TimeInterval = 120) throws -> Measured {
        let folder = try Fixtures.temporaryDirectory("hubdoctor-measured")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout").path
        let err = folder.appendingPathComponent("stderr").path
        let rss = folder.appendingPathComponent("rss").path
        let time = "/usr/bin/time"
        try #require(FileManager.default.isExecutableFile(atPath: time), "GNU time is needed to measure memory (scripts/setup installs it)")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([time, "-f", "%M", "-o", rss, CommandRunner.binary.path] + arguments).map { strdup($0) } + [nil]
        let environment = [
            "PATH=/usr/bin:/bin", "NO_COLOR=1", "HOME=\(folder.path)", "XDG_CACHE_HOME=\(folder.path)/cache", "XDG_STATE_HOME=\(folder.path)/state",
        ]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // Its own process group, so a timeout stops time and hubdoctor together.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid = pid_t()
        let started = Date()
        let spawned = posix_spawn(&pid, time, &actions, &attributes, argv, envp)
        try #require(spawned == 0, "posix_spawn failed: \(spawned)")
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped == -1, errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECHILD) }
            if Date().timeIntervalSince(started) > timeout {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                Issue.record("hubdoctor \(arguments) did not finish within \(timeout) s")
                break
            }
            usleep(5_000)
        }
        let seconds = Date().timeIntervalSince(started)
        // Exited normally: the low seven bits are 0 and the code is the next byte; otherwise 128 + signal, as a shell shows it.
        // GNU time exits with its command's status (128 + signal when the command was killed).
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        // time's report is the last line of its output file ("Command exited with non-zero status" may come first).
        let report = (try? String(contentsOfFile: rss, encoding: .utf8)) ?? ""
        let peak = try #require(report.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }, "GNU time wrote: \(report)")
        return Measured(
            status: code, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "",
            seconds: seconds, maxResidentKB: peak)
    }

    static func classes(_ measured: Measured) throws -> [String] {
        let object = try Fixtures.jsonObject(Data(measured.stdout.utf8))
        return try #require(object["entries"] as? [[String: Any]], "no entries: \(measured.stdout.prefix(300))").compactMap { $0["class"] as? String }
    }

    /// A refresh at Google's token endpoint answered `invalid_grant`, with the error first and then
    /// `padding` bytes of filler in the same JSON body.
    static func refreshFailure(padding: Int) throws -> Data {
        let body = #"{"error":"invalid_grant","error_description":"Token has been expired or revoked.","padding":""# + String(repeating: "x", count: padding) + #""}"#
        return try har([
            entry(
                method: "POST", url: "https://oauth2.googleapis.com/token", requestBody: "grant_type=refresh_token&client_id=my-client", status: 400,
                headers: ["Content-Type": "application/json; charset=utf-8"], body: body)
        ])
    }

    @Test func fiftyMegabyteBodyIsJudgedQuickly() throws {
        let folder = try Fixtures.temporaryDirectory("hubdoctor-big")
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = folder.appendingPathComponent("big.har")
        try Self.refreshFailure(padding: 50 * 1024 * 1024).write(to: big)
        let small = folder.appendingPathComponent("small.har")
        try Self.refreshFailure(padding: 10).write(to: small)
        let expected = try Self.classes(try Self.runMeasured(["explain", small.path, "--format", "json"]))
        #expect(expected == ["refresh_token_invalid"])

        let measured = try Self.runMeasured(["explain", big.path, "--format", "json"])
        #expect(measured.status == 1, "\(measured.stderr)")
        #expect(try Self.classes(measured) == expected, "the first megabyte decides, as it does for a small body")
        #expect(measured.seconds < 30, "took \(measured.seconds) s")
        #expect(measured.maxResidentKB < 1_000_000, "peak memory \(measured.maxResidentKB) KB")
        // The report quotes the error, never the 50 MB.
        #expect(measured.stdout.utf8.count < 200_000)
    }

    /// 100,000 levels of nesting in a body: no stack overflow, and the headers still decide.
    @Test(arguments: ["array", "object"])
    func deeplyNestedJSONBody(_ shape: String) throws {
        let depth = 100_000
        let deep = shape == "array"
            ? String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            : String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        let headers = ["Content-Type": "application/json", "WWW-Authenticate": #"Bearer error="invalid_token", error_description="The access token expired""#]
        let folder = try Fixtures.temporaryDirectory("hubdoctor-deep")
        defer { try? FileManager.default.removeItem(at: folder) }
        let deepHAR = folder.appendingPathComponent("deep.har")
        try Self.har([Self.entry(url: "https://api.example.com/v1/me", status: 401, headers: headers, body: deep)]).write(to: deepHAR)
        let shallowHAR = folder.appendingPathComponent("shallow.har")
        try Self.har([Self.entry(url: "https://api.example.com/v1/me", status: 401, headers: headers, body: #"{"a":1}"#)]).write(to: shallowHAR)

        let expected = try Self.classes(try Self.runMeasured(["explain", shallowHAR.path, "--format", "json"]))
        #expect(expected.count == 1 && expected != ["unknown"])
        let measured = try Self.runMeasured(["explain", deepHAR.path, "--format", "json"])
        #expect(measured.status == 1, "exit \(measured.status): \(measured.stderr.prefix(500))")
        #expect(try Self.classes(measured) == expected)
        #expect(measured.seconds < 30)

        // The same body pasted as text, and as the body of `curl -i` output.
        let text = folder.appendingPathComponent("deep.txt")
        try Data(deep.utf8).write(to: text)
        let pasted = try Self.runMeasured(["explain", text.path, "--format", "json"])
        #expect(pasted.status == 1, "exit \(pasted.status): \(pasted.stderr.prefix(500))")
        #expect(try Self.classes(pasted).count == 1)
        let curl = folder.appendingPathComponent("deep-curl.txt")
        try Data(("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n" + deep).utf8).write(to: curl)
        let transcript = try Self.runMeasured(["explain", curl.path, "--format", "json"])
        #expect(transcript.status == 1, "exit \(transcript.status): \(transcript.stderr.prefix(500))")
        #expect(try Self.classes(transcript).count == 1)
    }

    /// The same OAuth error with a body that is not valid UTF-8 (a Latin-1 description, stray bytes):
    /// the readable part still decides.
    @Test func invalidUTF8InABody() throws {
        let valid = Data(#"{"error":"invalid_scope","error_description":"Ungültiger Bereich: employees.read"}"#.utf8)
        let latin1 = Data(#"{"error":"invalid_scope","error_description":"Ung"#.utf8) + Data([0xFC]) + Data(#"ltiger Bereich: employees.read"}"#.utf8)
        let stray = Data(#"{"error":"invalid_scope","error_description":"bad "#.utf8) + Data([0xFF, 0xFE, 0xC3, 0x28]) + Data(#" scope"}"#.utf8)
        #expect(String(data: latin1, encoding: .utf8) == nil && String(data: stray, encoding: .utf8) == nil, "the bodies must really be invalid UTF-8")

        func explainHAR(_ body: Data) throws -> Finding {
            let har = try Self.har([
                Self.entry(
                    method: "POST", url: "https://auth.example.com/oauth/token", requestBody: "grant_type=client_credentials&scope=employees.read", status: 400,
                    headers: ["Content-Type": "application/json"], base64Body: body)
            ])
            return try #require(try Self.explainer.explain(har, name: "session.har").entries.first).finding
        }
        let expected = try explainHAR(valid).failureClass
        #expect(expected == .insufficientScope)
        for body in [latin1, stray] {
            let finding = try explainHAR(body)
            #expect(finding.failureClass == expected, "evidence: \(finding.evidence)")
            #expect(finding.evidence.contains { $0.contains("invalid_scope") })
        }

        // As `curl -i` output on standard input.
        let head = Data("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n".utf8)
        let fromValid = try Self.explainer.explain(head + valid, name: "standard input")
        let fromStray = try Self.explainer.explain(head + stray, name: "standard input")
        #expect(fromStray.entries.map(\.finding.failureClass) == fromValid.entries.map(\.finding.failureClass))
        let result = try CommandRunner.run(["explain", "-", "--format", "json"], stdin: head + stray)
        #expect(result.status == 1)
        #expect(try Self.classes(result) == [fromValid.entries[0].finding.failureClass.rawValue])
    }

    /// Readable-but-invalid UTF-8 is kept as evidence; real binary bodies are still left out of the record.
    @Test func binaryBodiesAreLeftOutButMostlyTextIsKept() throws {
        func recorded(_ body: Data) -> RecordedResponse? {
            let raw = RawExchange(
                request: HTTPRequest(method: "POST", url: "https://auth.example.com/oauth/token"), finalURL: "https://auth.example.com/oauth/token",
                status: 400, httpVersion: "HTTP/1.1", headers: [HTTPHeader("Content-Type", "application/octet-stream")], body: body,
                bodySize: body.count, failure: nil)
            return ExchangeRecorder(redactor: Redactor()).record(raw, stage: .token).response
        }
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52])
        var generator = SeededGenerator(seed: 42)
        // High bytes without a NUL, as in compressed data: mostly invalid UTF-8.
        let noise = Data((0..<4096).map { _ in UInt8(0x80 | (generator.next() & 0x7F)) })
        for body in [png, noise] {
            let response = try #require(recorded(body))
            #expect(response.body == nil)
            #expect(response.bodyOmitted?.contains("binary") == true)
        }
        let latin1 = Data(#"{"error":"invalid_scope","error_description":"Ung"#.utf8) + Data([0xFC]) + Data(#"ltig"}"#.utf8)
        let response = try #require(recorded(latin1))
        #expect(response.bodyOmitted == nil)
        #expect(response.body?.contains(#""error":"invalid_scope""#) == true)
    }

    // XML bodies: a SOAP 1.1 fault (the envelope of https://www.w3.org/TR/2000/NOTE-SOAP-20000508/ §4.4) carrying
    // Salesforce's INVALID_SESSION_ID code with its REST wording "Session expired or invalid" (as quoted in
    // https://github.com/jstanden/cerb/issues/836); the DOCTYPEs around it are the attacks.
    static func soapFault(doctype: String, before: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?>"# + doctype
            + #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com">"#
            + "<soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode>"
            + "<faultstring>\(before)INVALID_SESSION_ID: Session expired or invalid</faultstring>"
            + "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    }

    /// "Billion laughs": ten levels of ten references, 3 GB if expanded.
    static let billionLaughs: String = {
        var entities = #"<!ENTITY lol "lol">"#
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            entities += "<!ENTITY lol\(level) \"\(String(repeating: "&\(previous);", count: 10))\">"
        }
        return "<!DOCTYPE lolz [\(entities)]>"
    }()

    static let externalEntity = #"<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#

    static func soapHAR(_ body: String) throws -> Data {
        try har([
            entry(
                method: "POST", url: "https://acme.my.salesforce.com/services/Soap/u/59.0", status: 500, headers: ["Content-Type": "text/xml;charset=UTF-8"],
                body: body)
        ])
    }

    /// The SOAP fault written in `folder`: plain as a HAR and as XML, and with `doctype` and the
    /// reference `before` the fault string as a HAR and as XML.
    struct XMLAttackFiles {
        var plainHAR: URL
        var plainXML: URL
        var har: URL
        var xml: URL
    }

    static func xmlAttackFiles(in folder: URL, doctype: String, before: String) throws -> XMLAttackFiles {
        let files = XMLAttackFiles(
            plainHAR: folder.appendingPathComponent("plain.har"), plainXML: folder.appendingPathComponent("plain.xml"),
            har: folder.appendingPathComponent("attack.har"), xml: folder.appendingPathComponent("attack.xml"))
        try soapHAR(soapFault(doctype: "", before: "")).write(to: files.plainHAR)
        try Data(soapFault(doctype: "", before: "").utf8).write(to: files.plainXML)
        try soapHAR(soapFault(doctype: doctype, before: before)).write(to: files.har)
        try Data(soapFault(doctype: doctype, before: before).utf8).write(to: files.xml)
        return files
    }

    @Test func xmlEntityBombIsNotExpanded() throws {
        let folder = try Fixtures.temporaryDirectory("hubdoctor-xml")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try Self.xmlAttackFiles(in: folder, doctype: Self.billionLaughs, before: "&lol9;")
        let plain = files.plainHAR
        let bomb = files.har
        let bombText = folder.appendingPathComponent("bomb.txt")
        try Data(("HTTP/1.1 500 Server Error\r\nContent-Type: text/xml\r\n\r\n" + Self.soapFault(doctype: Self.billionLaughs, before: "&lol9;")).utf8).write(to: bombText)

        let expected = try Self.runMeasured(["explain", plain.path, "--format", "json"])
        let expectedClasses = try Self.classes(expected)
        #expect(expectedClasses.count == 1 && expectedClasses != ["unknown"], "the plain fault is recognised: \(expectedClasses)")
        for file in [bomb, bombText] {
            let measured = try Self.runMeasured(["explain", file.path, "--format", "json"])
            #expect(measured.status == expected.status, "exit \(measured.status): \(measured.stderr.prefix(500))")
            #expect(try Self.classes(measured) == (try Self.classes(expected)))
            #expect(measured.seconds < 20, "took \(measured.seconds) s")
            // Expanded, the entity is 3 GB; unexpanded, the run stays near an ordinary one's size.
            #expect(measured.maxResidentKB < 300_000, "peak memory \(measured.maxResidentKB) KB")
            #expect(!measured.stdout.contains("lollollollollol"))
            #expect(measured.stdout.utf8.count < 100_000)
        }

        // Pasted without a status line the body alone decides: the fault code is still found.
        let bombXML = files.xml
        let plainClasses = try Self.classes(try Self.runMeasured(["explain", files.plainXML.path, "--format", "json"]))
        #expect(plainClasses.count == 1 && plainClasses != ["unknown"])
        let measured = try Self.runMeasured(["explain", bombXML.path, "--format", "json"])
        #expect(try Self.classes(measured) == plainClasses)
        #expect(measured.stdout.contains("INVALID_SESSION_ID"))
        #expect(measured.seconds < 20)
        #expect(measured.maxResidentKB < 300_000, "peak memory \(measured.maxResidentKB) KB")
        #expect(!measured.stdout.contains("lollollollollol"))
    }

    @Test func xmlExternalEntityIsNotRead() throws {
        let passwd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
        try #require(passwd.contains("root:"), "the test needs a /etc/passwd with a root line to look for")

        // libxml2 directly: the entity reference is neither loaded nor shown.
        let summary = try #require(LibXML2Inspector().summarize(Self.soapFault(doctype: Self.externalEntity, before: "&xxe;"), html: false))
        #expect(summary.faultString?.contains("INVALID_SESSION_ID: Session expired or invalid") == true)
        #expect(!(summary.faultString ?? "").contains("root:"))
        #expect(!summary.text.contains("root:"))

        let folder = try Fixtures.temporaryDirectory("hubdoctor-xxe")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try Self.xmlAttackFiles(in: folder, doctype: Self.externalEntity, before: "&xxe;")
        let xml = files.xml

        let expected = try CommandRunner.run(["explain", files.plainHAR.path, "--format", "json"])
        let expectedClasses = try Self.classes(expected)
        #expect(expectedClasses.count == 1 && expectedClasses != ["unknown"], "the plain fault is recognised: \(expectedClasses)")
        let fromHAR = try CommandRunner.run(["explain", files.har.path, "--format", "json"])
        #expect(fromHAR.status == expected.status)
        #expect(try Self.classes(fromHAR) == (try Self.classes(expected)))
        for result in [fromHAR, try CommandRunner.run(["explain", xml.path]), try CommandRunner.run(["explain", xml.path, "--format", "json"])] {
            #expect(!result.stdout.contains("root:"), "the output quotes /etc/passwd")
            #expect(!result.stderr.contains("root:"))
            #expect(result.stdout.contains("INVALID_SESSION_ID"))
        }
    }
}
