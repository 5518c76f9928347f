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

    var classifier: Classifier { Classifier(knowledge: knowledge, markup: markup) }
    var extractor: EvidenceExtractor { EvidenceExtractor(markup: markup) }
    var diagnoser: Diagnoser { Diagnoser(classifier: classifier, extractor: extractor) }

    static var environmentInfo: (curl: String, tls: String) { CurlTransport.versionInfo }
}
