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
}
