import Foundation
import HubDoctorCore
import HubDoctorMarkup

/// The shipped knowledge base with libxml2, loaded once for every suite that classifies.
public enum TestKnowledge {
    public static let base = KnowledgeBase.load((try? Fixtures.shippedKnowledge()) ?? KnowledgeFiles.embedded())
    public static let markup = LibXML2Inspector()
    public static let classifier = Classifier(knowledge: base, markup: markup)
    public static let extractor = EvidenceExtractor(markup: markup)
    public static let explainer = Explainer(classifier: classifier, extractor: extractor)
}
