import Foundation
import HubDoctorCore
import HubDoctorMarkup
import HubDoctorTransport

/// The composition root: the real transport, libxml2 and the knowledge base wired into Core.
struct Toolkit {
    let knowledge: KnowledgeBase
    let markup: MarkupInspector = LibXML2Inspector()

    init(_ options: KnowledgeOptions) throws {
        knowledge = try options.base()
    }

    init(knowledge: KnowledgeBase) {
        self.knowledge = knowledge
    }

    var classifier: Classifier { Classifier(knowledge: knowledge, markup: markup) }
    var extractor: EvidenceExtractor { EvidenceExtractor(markup: markup) }

    static var environmentInfo: (curl: String, tls: String) { CurlTransport.versionInfo }
}
