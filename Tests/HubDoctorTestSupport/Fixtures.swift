import Foundation
import HubDoctorCore

/// Paths to the repository's own files, found from this source file, so tests run from any directory.
public enum Fixtures {
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        // Tests/HubDoctorTestSupport/Fixtures.swift → repository root
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static var knowledgeDirectory: URL { repositoryRoot.appendingPathComponent("knowledge", isDirectory: true) }
    public static var directory: URL { repositoryRoot.appendingPathComponent("Tests/Fixtures", isDirectory: true) }

    public static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    public static func text(_ relative: String) throws -> String { try String(contentsOf: url(relative), encoding: .utf8) }

    /// The shipped knowledge base, read from the repository.
    public static func shippedKnowledge() throws -> KnowledgeFiles { try KnowledgeFiles.read(directory: knowledgeDirectory) }

    /// A fresh empty temporary directory, removed by the caller (or left for the OS).
    public static func temporaryDirectory(_ name: String = "hubdoctor-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
