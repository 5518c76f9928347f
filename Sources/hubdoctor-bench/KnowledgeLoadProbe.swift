import Foundation
import HubDoctorCore

/// How long the ways of loading the knowledge base take (a probe for choosing the cache format).
enum KnowledgeLoadProbe {
    static func run() async throws {
        let files = KnowledgeFiles.embedded()
        let yaml = Measure.times(runs: 5) { _ = KnowledgeBase.load(files) }
        let base = KnowledgeBase.load(files)
        struct Stored: Codable { var entries: [KnowledgeEntry]; var rulePacks: [RulePack] }
        let json = try JSONEncoder().encode(Stored(entries: base.entries, rulePacks: base.rulePacks))
        let decode = try Measure.times(runs: 10) { _ = try JSONDecoder().decode(Stored.self, from: json) }
        let parse = try Measure.times(runs: 10) { _ = try JSONSerialization.jsonObject(with: json) }
        let rulesOnly = try JSONEncoder().encode(base.rulePacks)
        let decodeRules = try Measure.times(runs: 10) { _ = try JSONDecoder().decode([RulePack].self, from: rulesOnly) }
        print("YAML load \(Measure.format(Measure.median(yaml))) ms; JSON \(json.count / 1024) KiB: JSONDecoder \(Measure.format(Measure.median(decode))) ms, JSONSerialization \(Measure.format(Measure.median(parse))) ms; rules only (\(rulesOnly.count / 1024) KiB) \(Measure.format(Measure.median(decodeRules))) ms")
    }
}
