import Foundation
import PackagePlugin

/// Compiles `knowledge/` into the target that uses the plugin, so the `hubdoctor`
/// binary carries its knowledge base and works from any directory or when copied.
@main
struct EmbedKnowledgePlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let knowledge = context.package.directoryURL.appending(path: "knowledge")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedKnowledge.swift")
        // Every file is an input, so an edit, an addition or a removal rebuilds the embedded copy.
        var inputs: [URL] = [knowledge]
        if let walker = FileManager.default.enumerator(at: knowledge, includingPropertiesForKeys: nil) {
            for case let url as URL in walker { inputs.append(url) }
        }
        return [
            .buildCommand(
                displayName: "Embedding knowledge/ (\(inputs.count - 1) files)",
                executable: try context.tool(named: "KnowledgeEmbedder").url,
                arguments: [knowledge.path(percentEncoded: false), output.path(percentEncoded: false)],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
