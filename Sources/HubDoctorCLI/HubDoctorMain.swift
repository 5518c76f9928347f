import ArgumentParser
import Foundation
import HubDoctorCore
import HubDoctorSearch

/// Parses the command line, runs the command, and turns every outcome into the contract's exit status.
public enum HubDoctorMain {
    public static func run(arguments: [String]? = nil) async {
        do {
            var command = try parse(arguments ?? Array(CommandLine.arguments.dropFirst()))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as HubDoctorError {
            Console.standard.error("hubdoctor: \(error.message)")
            exit(error.exitCode)
        } catch {
            HubDoctorCommand.exit(withError: error)
        }
    }
}

/// Leaf commands parsed directly when no help or completion is asked for: walking the whole
/// command tree by reflection costs a few milliseconds, a fifth of a cached `search`.
private let directCommands: [String: ParsableCommand.Type] = [
    "search": SearchCommand.self, "explain": ExplainCommand.self, "diagnose": DiagnoseCommand.self,
]

private func parse(_ arguments: [String]) throws -> ParsableCommand {
    if let name = arguments.first, let type = directCommands[name],
        !arguments.contains(where: { $0 == "-h" || $0 == "--help" || $0 == "help" || $0.hasPrefix("--generate-completion") || $0 == "--version" })
    {
        do {
            return try type.parse(Array(arguments.dropFirst()))
        } catch {
            // Let the root report it, with the full command name in the usage line.
            return try HubDoctorCommand.parseAsRoot(arguments)
        }
    }
    return try HubDoctorCommand.parseAsRoot(arguments)
}

struct HubDoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubdoctor",
        abstract: "Find out why a connection to a SaaS API does not authenticate, and what to do about it.",
        discussion: """
            Exit status: 0 healthy, 1 a failure needs a person, 75 only transient failures (try again later),
            64 usage error, 65 bad input data, 66 input file missing or unreadable, 70 internal error.
            """,
        version: HubDoctorVersion.current,
        subcommands: [
            DiagnoseCommand.self, ExplainCommand.self, SearchCommand.self, KBCommand.self, LoginCommand.self,
            InitCommand.self, DemoCommand.self,
        ]
    )
}

/// `--knowledge DIR` (or `HUBDOCTOR_KNOWLEDGE`), shared by every command.
struct KnowledgeOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Use the knowledge folder DIR instead of the built-in one (also HUBDOCTOR_KNOWLEDGE).", valueName: "DIR"))
    var knowledge: String?

    /// The knowledge to use: the flag, then the environment, then the copy in the binary.
    var source: KnowledgeSource {
        let environment = ProcessInfo.processInfo.environment
        if let path = knowledge ?? environment["HUBDOCTOR_KNOWLEDGE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return .directory(URL(fileURLWithPath: path, isDirectory: true))
        }
        return .embedded
    }

    func files() throws -> KnowledgeFiles { try source.files() }

    /// The checked knowledge base, from the parsed cache when it is current; entry bodies are left out.
    func base() throws -> KnowledgeBase {
        try KnowledgeCache.load(try resolved(), cacheDirectory: KnowledgeIndex.defaultCacheDirectory())
    }

    /// The source with its content hash, found once and shared by the search index and the parsed cache.
    func resolved() throws -> ResolvedKnowledge {
        try source.resolve(cacheDirectory: KnowledgeIndex.defaultCacheDirectory())
    }

    /// The knowledge base with entry bodies, parsed from the files (for showing entries).
    func fullBase() throws -> KnowledgeBase { try KnowledgeBase.loadChecked(try files()) }
}

/// Output formats a person or a script can choose.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}
