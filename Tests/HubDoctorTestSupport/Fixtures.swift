import Foundation
import HubDoctorCore
import ZIPFoundation

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

    /// A copy of the shipped knowledge base in a temporary folder, for tests that change it.
    public static func copyOfShippedBase() throws -> URL {
        let target = try temporaryDirectory("hubdoctor-kb").appendingPathComponent("knowledge")
        try FileManager.default.copyItem(at: knowledgeDirectory, to: target)
        return target
    }

    /// Every file of a zip archive (a support bundle), by path.
    public static func zipEntries(_ url: URL) throws -> [String: Data] {
        let archive = try Archive(url: url, accessMode: .read)
        var files: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            files[entry.path] = data
        }
        return files
    }

    /// `data` as one JSON object; the error quotes the start of what it was instead.
    public static func jsonObject(_ data: Data) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError("not one JSON object: \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        return object
    }

    /// A fresh empty temporary directory, removed by the caller (or left for the OS).
    public static func temporaryDirectory(_ name: String = "hubdoctor-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
