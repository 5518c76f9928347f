import CLibXML2
import Foundation

/// A parsed HTML or XML document, owned by this object and freed with it.
///
/// Untrusted bodies are parsed from memory with the network off and without entity
/// substitution or DTD loading, so an external entity is never fetched or read from disk and an
/// entity bomb is never expanded (entity references are skipped when text is collected).
final class XMLTree {
    /// Bodies larger than this are cut before parsing.
    static let maximumInput = 1 << 20

    let document: xmlDocPtr

    private init(document: xmlDocPtr) { self.document = document }

    deinit { xmlFreeDoc(document) }

    static func html(_ data: Data) -> XMLTree? {
        hd_xml_silence()
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOBLANKS.rawValue | HTML_PARSE_COMPACT.rawValue)
        let input = data.prefix(maximumInput)
        let document = input.withUnsafeBytes { buffer -> htmlDocPtr? in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return htmlReadMemory(base, Int32(buffer.count), "body.html", "UTF-8", options)
        }
        return document.map { XMLTree(document: $0) }
    }

    static func xml(_ data: Data) -> XMLTree? {
        hd_xml_silence()
        // NONET: no network. No NOENT (no entity substitution), no DTDLOAD/DTDATTR (no external DTD).
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOXINCNODE.rawValue)
        let input = data.prefix(maximumInput)
        let document = input.withUnsafeBytes { buffer -> xmlDocPtr? in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return xmlReadMemory(base, Int32(buffer.count), "body.xml", nil, options)
        }
        return document.map { XMLTree(document: $0) }
    }

    var root: xmlNodePtr? { xmlDocGetRootElement(document) }

    /// Text of every node an XPath expression selects (namespaces ignored via local-name() in the caller's expression).
    func evaluate(_ expression: String) -> [String]? {
        guard let context = xmlXPathNewContext(document) else { return nil }
        defer { xmlXPathFreeContext(context) }
        guard let result = xmlXPathEvalExpression(expression, context) else { return nil }
        defer { xmlXPathFreeObject(result) }
        switch result.pointee.type {
        case XPATH_NODESET:
            guard let set = result.pointee.nodesetval else { return [] }
            var texts: [String] = []
            for index in 0..<Int(set.pointee.nodeNr) {
                if let node = set.pointee.nodeTab[index] { texts.append(Self.text(of: node)) }
            }
            return texts
        case XPATH_STRING:
            return [result.pointee.stringval.map { String(cString: $0) } ?? ""]
        case XPATH_NUMBER:
            return [String(result.pointee.floatval)]
        case XPATH_BOOLEAN:
            return [result.pointee.boolval != 0 ? "true" : "false"]
        default:
            return nil
        }
    }

    static let invisible: Set<String> = ["script", "style", "noscript", "template", "head", "svg", "iframe", "object"]

    /// Visible text under a node: element text and CDATA; never scripts, styles or entity references.
    /// Whitespace is collapsed to single spaces.
    static func text(of node: xmlNodePtr) -> String {
        var output = ""
        collect(node, into: &output, keepLineBreaks: false, depth: 0)
        return output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The same text with its own line breaks and `<br>` as one, for code blocks.
    static func rawText(of node: xmlNodePtr) -> String {
        var output = ""
        collect(node, into: &output, keepLineBreaks: true, depth: 0)
        return output
    }

    private static func collect(_ node: xmlNodePtr, into output: inout String, keepLineBreaks: Bool, depth: Int) {
        guard depth < 256 else { return }
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { output += String(cString: content) }
        case XML_ELEMENT_NODE, XML_DOCUMENT_NODE, XML_HTML_DOCUMENT_NODE:
            let name = name(of: node)
            if invisible.contains(name) { return }
            if keepLineBreaks, name == "br" { output += "\n" }
            var child = node.pointee.children
            while let current = child {
                collect(current, into: &output, keepLineBreaks: keepLineBreaks, depth: depth + 1)
                child = current.pointee.next
            }
            if !keepLineBreaks, isBlock(name) { output += " " }
        default:
            // Entity references, comments, processing instructions: not visible text.
            break
        }
    }

    static func name(of node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
    }

    static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { hd_xml_free(value) }
        return String(cString: value)
    }

    static func children(of node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            result.append(current)
            child = current.pointee.next
        }
        return result
    }

    static let blockElements: Set<String> = [
        "p", "div", "section", "article", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td",
        "th", "table", "blockquote", "dd", "dt", "details", "summary", "main", "header", "footer", "nav", "aside",
    ]
    static func isBlock(_ name: String) -> Bool { blockElements.contains(name) }
}
