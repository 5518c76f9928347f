import CLibXML2
import Foundation
import HubDoctorCore

/// Cuts an HTML documentation page into sections with libxml2's HTML parser: headings (and
/// `<details><summary>` accordions) start sections, the content that follows becomes Markdown
/// with code blocks kept, and site chrome (navigation, headers, footers, sidebars) is left out.
public struct HTMLSectionExtractor: Sendable {
    public init() {}

    public func document(fromHTML data: Data) -> IngestDocument {
        guard let tree = XMLTree.html(data), let root = tree.root else { return IngestDocument(title: nil, sections: []) }
        let title = tree.evaluate("//title")?.first.map { $0.trimmingCharacters(in: .whitespaces) }
        let content = Self.contentRoot(root)
        var builder = SectionBuilder()
        builder.walk(content)
        builder.finish()
        let pageTitle = builder.pageTitle ?? title
        return IngestDocument(title: pageTitle, sections: builder.sections)
    }

    /// The page's main content: `<main>`, `<article>`, `[role=main]`, or the body.
    static func contentRoot(_ root: xmlNodePtr) -> xmlNodePtr {
        for name in ["main", "article"] {
            if let found = first(in: root, where: { XMLTree.name(of: $0) == name }) { return found }
        }
        if let found = first(in: root, where: { XMLTree.attribute("role", of: $0) == "main" }) { return found }
        return first(in: root, where: { XMLTree.name(of: $0) == "body" }) ?? root
    }

    static func first(in node: xmlNodePtr, where predicate: (xmlNodePtr) -> Bool) -> xmlNodePtr? {
        var stack = [node]
        while let current = stack.popLast() {
            if current.pointee.type == XML_ELEMENT_NODE, predicate(current) { return current }
            stack.append(contentsOf: XMLTree.children(of: current).reversed())
        }
        return nil
    }

    static let chromeElements: Set<String> = ["nav", "header", "footer", "aside", "script", "style", "noscript", "form", "button", "svg", "template", "iframe", "head"]
    static let chromeRoles: Set<String> = ["navigation", "banner", "contentinfo", "search", "complementary"]
    static let chromeWords = ["sidebar", "navbar", "nav-", "-nav", "toc", "table-of-contents", "breadcrumb", "footer", "cookie", "skip", "pagination", "feedback", "on-this-page", "topbar", "menu"]

    /// Navigation, banners, sidebars and the like: never part of an answer.
    static func isChrome(_ node: xmlNodePtr) -> Bool {
        let name = XMLTree.name(of: node)
        if chromeElements.contains(name) { return true }
        if let role = XMLTree.attribute("role", of: node), chromeRoles.contains(role.lowercased()) { return true }
        if XMLTree.attribute("aria-hidden", of: node) == "true" { return true }
        let classes = ((XMLTree.attribute("class", of: node) ?? "") + " " + (XMLTree.attribute("id", of: node) ?? "")).lowercased()
        if classes.trimmingCharacters(in: .whitespaces).isEmpty { return false }
        for token in classes.split(separator: " ") where chromeWords.contains(where: { token == $0 || token.hasPrefix($0) || token.hasSuffix($0) || token.contains($0 + "-") }) {
            return true
        }
        return false
    }
}

/// Walks the content in document order, starting a section at each heading.
private struct SectionBuilder {
    var sections: [IngestSection] = []
    var pageTitle: String?
    private var current: (title: String, level: Int)?
    private var blocks: [String] = []

    mutating func walk(_ node: xmlNodePtr) {
        for child in XMLTree.children(of: node) where child.pointee.type == XML_ELEMENT_NODE {
            if HTMLSectionExtractor.isChrome(child) { continue }
            let name = XMLTree.name(of: child)
            if let level = headingLevel(name) {
                let text = XMLTree.text(of: child)
                guard !text.isEmpty else { continue }
                if level == 1, pageTitle == nil, current == nil {
                    pageTitle = text
                    continue
                }
                startSection(text, level: level)
            } else if name == "details" {
                let summary = XMLTree.children(of: child).first { XMLTree.name(of: $0) == "summary" }
                let question = summary.map { XMLTree.text(of: $0) } ?? ""
                let saved = current
                startSection(question, level: (saved?.level ?? 2) + 1)
                for part in XMLTree.children(of: child) where XMLTree.name(of: part) != "summary" {
                    appendBlocks(part)
                }
                flush()
                current = nil
            } else if ["div", "section", "article", "main", "body"].contains(name) {
                walk(child)
            } else {
                appendBlocks(child)
            }
        }
    }

    private func headingLevel(_ name: String) -> Int? {
        guard name.count == 2, name.first == "h", let level = Int(String(name.last!)), (1...6).contains(level) else { return nil }
        return level
    }

    private mutating func startSection(_ title: String, level: Int) {
        flush()
        current = (title, level)
    }

    private mutating func appendBlocks(_ node: xmlNodePtr) {
        if let markdown = MarkdownWriter.block(node), !markdown.isEmpty { blocks.append(markdown) }
    }

    private mutating func flush() {
        if let current, !blocks.isEmpty {
            sections.append(IngestSection(title: current.title, markdown: blocks.joined(separator: "\n\n"), level: current.level))
        }
        blocks = []
    }

    mutating func finish() { flush() }
}

/// HTML blocks as Markdown.
enum MarkdownWriter {
    static func block(_ node: xmlNodePtr, depth: Int = 0) -> String? {
        guard depth < 64, !HTMLSectionExtractor.isChrome(node) else { return nil }
        let name = XMLTree.name(of: node)
        switch name {
        case "pre":
            let code = XMLTree.rawText(of: node).trimmingCharacters(in: .newlines)
            let language = languageHint(node)
            return "```\(language)\n\(code)\n```"
        case "ul", "ol":
            var lines: [String] = []
            var number = 1
            for item in XMLTree.children(of: node) where XMLTree.name(of: item) == "li" {
                let text = inline(item, depth: depth + 1)
                lines.append(name == "ol" ? "\(number). \(text)" : "- \(text)")
                number += 1
            }
            return lines.joined(separator: "\n")
        case "table":
            var rows: [String] = []
            collectRows(node, into: &rows, depth: depth + 1)
            return rows.joined(separator: "\n")
        case "blockquote":
            return "> " + inline(node, depth: depth + 1)
        case "div", "section":
            let parts = XMLTree.children(of: node).filter { $0.pointee.type == XML_ELEMENT_NODE }.compactMap { block($0, depth: depth + 1) }
            if parts.isEmpty {
                let text = inline(node, depth: depth + 1)
                return text.isEmpty ? nil : text
            }
            return parts.filter { !$0.isEmpty }.joined(separator: "\n\n")
        default:
            let text = inline(node, depth: depth + 1)
            return text.isEmpty ? nil : text
        }
    }

    private static func collectRows(_ node: xmlNodePtr, into rows: inout [String], depth: Int) {
        guard depth < 64 else { return }
        for child in XMLTree.children(of: node) {
            if XMLTree.name(of: child) == "tr" {
                let cells = XMLTree.children(of: child).filter { ["td", "th"].contains(XMLTree.name(of: $0)) }.map { inline($0, depth: depth + 1) }
                rows.append("| " + cells.joined(separator: " | ") + " |")
            } else if child.pointee.type == XML_ELEMENT_NODE {
                collectRows(child, into: &rows, depth: depth + 1)
            }
        }
    }

    private static func languageHint(_ node: xmlNodePtr) -> String {
        let code = XMLTree.children(of: node).first { XMLTree.name(of: $0) == "code" }
        let classes = (code.flatMap { XMLTree.attribute("class", of: $0) } ?? XMLTree.attribute("class", of: node) ?? "")
        for token in classes.split(separator: " ") where token.hasPrefix("language-") { return String(token.dropFirst(9)) }
        return ""
    }

    /// Inline content: `code`, **strong**, [links](url); whitespace collapsed. `depth` counts
    /// through blocks nested in inline content, so no document nests the walk without end.
    static func inline(_ node: xmlNodePtr, depth: Int = 0) -> String {
        var output = ""
        func visit(_ node: xmlNodePtr, _ level: Int) {
            guard level < 64 else { return }
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { output += String(cString: content) }
            case XML_ELEMENT_NODE:
                if HTMLSectionExtractor.isChrome(node) { return }
                let name = XMLTree.name(of: node)
                switch name {
                case "code": output += "`" + XMLTree.text(of: node) + "`"
                case "strong", "b": output += "**" + XMLTree.text(of: node) + "**"
                case "a":
                    let text = XMLTree.text(of: node)
                    if let href = XMLTree.attribute("href", of: node), href.hasPrefix("http") { output += "[\(text)](\(href))" } else { output += text }
                case "br": output += " "
                case "ul", "ol", "pre", "table":
                    output += "\n\n" + (block(node, depth: level + 1) ?? "") + "\n\n"
                default:
                    for child in XMLTree.children(of: node) { visit(child, level + 1) }
                    if XMLTree.isBlock(name) { output += "\n\n" }
                }
            default: break
            }
        }
        for child in XMLTree.children(of: node) { visit(child, depth + 1) }
        // Collapse runs of spaces but keep the paragraph breaks inserted above.
        return output.components(separatedBy: "\n\n")
            .map { $0.hasPrefix("```") ? $0 : $0.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ") }
            .filter { !$0.isEmpty }
            .joined(separator: "\n\n")
    }
}
