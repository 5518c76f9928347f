import Foundation

/// Where the knowledge base comes from: the copy compiled into the binary, or a folder.
public enum KnowledgeSource: Sendable, Equatable {
    case embedded
    case directory(URL)

    public func files() throws -> KnowledgeFiles {
        switch self {
        case .embedded: KnowledgeFiles.embedded()
        case .directory(let url): try KnowledgeFiles.read(directory: url)
        }
    }
}
