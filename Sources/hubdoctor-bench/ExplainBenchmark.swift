import Foundation
import HubDoctorCore
import HubDoctorTestSupport

/// `hubdoctor explain` of a HAR with 10,000 entries: failures from the labeled corpus mixed with
/// successful calls, as a day of a busy integration looks.
enum ExplainBenchmark {
    static func run() async throws {
        print("## explain\n")
        let har = try makeHAR(entries: 10_000)
        let size = (try? FileManager.default.attributesOfItem(atPath: har.path)[.size] as? Int) ?? 0
        let hubdoctor = Measure.hubdoctor
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("hubdoctor-bench-explain-cache").path
        _ = try Measure.processOnce(hubdoctor, ["explain", har.path, "--format", "json"], environment: environment)
        let runs = 5
        let times = try Measure.process(hubdoctor, ["explain", har.path, "--format", "json"], environment: environment, runs: runs)
        let data = try Data(contentsOf: har)
        let inProcess = try Measure.times(runs: 3) { _ = try TestKnowledge.explainer.explain(data, name: har.path) }
        print(Measure.table([
            ["10,000-entry HAR (\(size / 1024) KiB)", "runs", "median ms", "min ms"],
            ["hubdoctor explain --format json (whole process)", "\(runs)", Measure.format(Measure.median(times)), Measure.format(times.min()!)],
            ["Explainer.explain (in process, knowledge loaded)", "3", Measure.format(Measure.median(inProcess)), Measure.format(inProcess.min()!)],
        ]))
        print("\n(goal: under 2 seconds)\n")
    }

    static func makeHAR(entries count: Int) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hubdoctor-bench-\(count).har")
        let cases = try LabeledCorpus.load().filter { $0.exchange != nil }
        var entries: [[String: Any]] = []
        for index in 0..<count {
            // One in four is a failure from the corpus; the rest are successful API calls.
            if index % 4 == 0, let exchange = cases[index / 4 % cases.count].exchange {
                var entry: [String: Any] = [
                    "startedDateTime": "2026-11-29T10:00:00.000Z", "time": 120,
                    "request": ["method": exchange.request?.method ?? "GET", "url": exchange.request?.url ?? "https://api.example.com/", "httpVersion": "HTTP/1.1", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0],
                    "cache": [:], "timings": ["send": 0, "wait": 100, "receive": 20],
                ]
                if let response = exchange.response {
                    entry["response"] = [
                        "status": response.status, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [], "redirectURL": "", "headersSize": -1, "bodySize": -1,
                        "headers": (response.headers ?? [:]).map { ["name": $0.key, "value": $0.value] },
                        "content": ["size": response.body?.utf8.count ?? 0, "mimeType": response.headers?["Content-Type"] ?? "application/json", "text": response.body ?? ""],
                    ]
                } else {
                    entry["response"] = ["status": 0, "statusText": "", "httpVersion": "", "headers": [], "cookies": [], "content": ["size": 0, "mimeType": "x-unknown"], "redirectURL": "", "headersSize": -1, "bodySize": -1]
                    entry["_error"] = exchange.transport_error?.message ?? "net::ERR_FAILED"
                }
                entries.append(entry)
            } else {
                entries.append([
                    "startedDateTime": "2026-11-29T10:00:00.000Z", "time": 80,
                    "request": ["method": "GET", "url": "https://api.example.com/api/v1/employees?page=\(index)", "httpVersion": "HTTP/1.1", "headers": [["name": "Authorization", "value": "Bearer abcdef123456"]], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0],
                    "response": ["status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "redirectURL": "", "headersSize": -1, "bodySize": 60,
                                 "headers": [["name": "Content-Type", "value": "application/json"]],
                                 "content": ["size": 60, "mimeType": "application/json", "text": #"{"employees":[{"id":\#(index),"name":"Employee \#(index)"}]}"#]],
                    "cache": [:], "timings": ["send": 0, "wait": 70, "receive": 10],
                ])
            }
        }
        let har: [String: Any] = ["log": ["version": "1.2", "creator": ["name": "hubdoctor-bench", "version": "1"], "entries": entries]]
        try JSONSerialization.data(withJSONObject: har).write(to: url)
        return url
    }
}
