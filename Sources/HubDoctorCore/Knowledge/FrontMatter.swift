/// Splits a Markdown file into its YAML front matter and body.
public struct FrontMatter {
    /// The YAML between the `---` lines.
    public var yaml: String
    /// The Markdown after the closing `---`.
    public var body: String
    /// The file line of the first YAML line (2 when the file starts with `---`).
    public var firstLine: Int
    /// The file line where the body starts.
    public var bodyLine: Int

    /// Returns nil when the file does not start with a `---` line or never closes it;
    /// `missingClose` tells the two apart for messages.
    public static func split(_ text: String) -> (FrontMatter?, missingClose: Bool) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else { return (nil, false) }
        guard let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" }) else {
            return (nil, true)
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let body = lines[(close + 1)...].joined(separator: "\n")
        return (FrontMatter(yaml: yaml, body: body, firstLine: 2, bodyLine: close + 2), false)
    }
}
