/// The folders of a knowledge base that hubdoctor reads; anything else in the folder is left alone.
public enum KnowledgeLayout {
    public static let folders = ["faq", "classes", "providers", "rules"]
    public static let extensions: Set<String> = ["md", "yaml", "yml"]

    /// True for `faq/x.md`-style paths that belong to the knowledge base.
    public static func includes(_ relativePath: String) -> Bool {
        let parts = relativePath.split(separator: "/")
        guard parts.count == 2, folders.contains(String(parts[0])), let dot = parts[1].lastIndex(of: ".") else { return false }
        return extensions.contains(String(parts[1][parts[1].index(after: dot)...]).lowercased())
    }

    /// The content hash of a knowledge base: SHA-256 over every file's path and text, in path
    /// order. The build-time embedder and the loader compute it alike.
    public static func contentHash<S: Sequence>(_ files: S) -> String where S.Element == (path: String, text: String) {
        var hasher = SHA256()
        for file in files {
            hasher.update(file.path)
            hasher.update([0])
            hasher.update(file.text)
            hasher.update([0])
        }
        return hasher.finalize().hexString
    }
}
