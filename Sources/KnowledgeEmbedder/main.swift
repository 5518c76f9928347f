import Foundation
import HubDoctorShared

// Writes a Swift file holding every text file under a knowledge folder as a raw string
// literal. Used at build time by EmbedKnowledgePlugin; not shipped.
let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: KnowledgeEmbedder KNOWLEDGE_DIR OUTPUT.swift\n".utf8))
    exit(64)
}
let root = URL(fileURLWithPath: arguments[1], isDirectory: true).standardizedFileURL
let output = URL(fileURLWithPath: arguments[2])

var files: [(path: String, text: String)] = []
if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
    for case let url as URL in walker {
        let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
        guard KnowledgeLayout.includes(relative) else { continue }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            FileHandle.standardError.write(Data("warning: \(relative) is not UTF-8 text; not embedded\n".utf8))
            continue
        }
        files.append((relative, text))
    }
}
files.sort { $0.path < $1.path }

/// A raw string delimiter longer than any run of `#` in the text, so nothing inside can end it.
func delimiter(for text: String) -> String {
    var longest = 0
    var run = 0
    for character in text {
        run = character == "#" ? run + 1 : 0
        longest = max(longest, run)
    }
    return String(repeating: "#", count: longest + 1)
}

// Computed here so the binary need not hash its own copy at start-up.
let contentHash = KnowledgeLayout.contentHash(files)

var source = """
    // Generated at build time by KnowledgeEmbedder from knowledge/. Do not edit.
    package enum EmbeddedKnowledge {
        package static let contentHash = "\(contentHash)"
        package static let files: [(path: String, text: String)] = [

    """
for file in files {
    let hashes = delimiter(for: file.text)
    source += "        (\(String(reflecting: file.path)), \(hashes)\"\"\"\n\(file.text)\n\"\"\"\(hashes)),\n"
}
source += "    ]\n}\n"
do {
    // Leave the file alone when nothing changed, so dependants are not rebuilt.
    if let existing = try? String(contentsOf: output, encoding: .utf8), existing == source { exit(0) }
    try source.write(to: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("error: cannot write \(output.path): \(error)\n".utf8))
    exit(1)
}
