import CLibXML2
import Foundation
import HubDoctorCore

/// Reads XML and HTML error bodies with libxml2: SOAP 1.1/1.2 faults, page titles and visible
/// text, and rule XPath expressions. Parsing never touches the network, never substitutes
/// entities and never loads a DTD (see XMLTree).
public struct LibXML2Inspector: MarkupInspector {
    public init() {}

    public func summarize(_ body: String, html: Bool) -> MarkupSummary? {
        let data = Data(body.utf8)
        guard let tree = html ? XMLTree.html(data) : XMLTree.xml(data), let root = tree.root else { return nil }
        var title = tree.evaluate("//*[local-name()='title']")?.first
        if html, title?.isEmpty ?? true { title = tree.evaluate("//h1")?.first }
        let faultString = (tree.evaluate("//*[local-name()='Fault']/*[local-name()='faultstring']")
            ?? []).first ?? tree.evaluate("//*[local-name()='Fault']//*[local-name()='Reason']/*[local-name()='Text']")?.first
        var faultCode = tree.evaluate("//*[local-name()='Fault']/*[local-name()='faultcode']")?.first
            ?? tree.evaluate("//*[local-name()='Fault']/*[local-name()='Code']/*[local-name()='Value']")?.first
        if let code = faultCode, code.isEmpty { faultCode = nil }
        let content = html ? HTMLSectionExtractor.contentRoot(root) : root
        let text = String(XMLTree.text(of: content).prefix(4000))
        return MarkupSummary(title: title, text: text, faultCode: faultCode, faultString: faultString)
    }

    public func evaluate(_ xpath: String, in body: String, html: Bool) -> [String]? {
        let data = Data(body.utf8)
        guard let tree = html ? XMLTree.html(data) : XMLTree.xml(data) else { return nil }
        return tree.evaluate(xpath)
    }
}
