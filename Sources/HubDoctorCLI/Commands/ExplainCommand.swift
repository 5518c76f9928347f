import ArgumentParser
import Foundation
import HubDoctorCore

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Classify an exchange that already happened: a HAR file, curl -i/-v output, or a pasted error. No network.",
        discussion: """
            Examples:
              hubdoctor explain session.har
              curl -sv https://api.example.com/v1/me 2>&1 | hubdoctor explain -
              hubdoctor explain 'AADSTS700082: The refresh token has expired due to inactivity.'
            """)

    @Argument(help: "A file, `-` for standard input (the default), or the error message itself.")
    var input: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var knowledge: KnowledgeOptions

    func validate() throws {
        if format == .markdown { throw ValidationError("explain prints text or json.") }
    }

    func run() async throws {
        let (data, name) = try read()
        let toolkit = try Toolkit(knowledge)
        let explanation = try Explainer(classifier: toolkit.classifier, extractor: toolkit.extractor).explain(data, name: name)
        let console = Console.standard
        switch format {
        case .json:
            console.output(try JSONOutput.string(explanation))
        default:
            console.output(render(explanation, style: console.outputStyle))
        }
        let status = explanation.exitCode
        if status != 0 { throw ExitCode(status) }
    }

    func read() throws -> (Data, String) {
        guard let input, input != "-" else {
            if isatty(STDIN_FILENO) == 1 { Console.standard.error("Paste the error, HAR or curl output, then press Ctrl-D:") }
            return (FileHandle.standardInput.readDataToEndOfFile(), "standard input")
        }
        if FileManager.default.fileExists(atPath: input) {
            guard let data = FileManager.default.contents(atPath: input) else {
                throw HubDoctorError(.noInput, "cannot read \(input): check its permissions.")
            }
            return (data, input)
        }
        // Something that looks like a path but is not there is a missing file; anything else is the message itself.
        let looksLikePath = input.hasSuffix(".har") || input.hasSuffix(".json") || input.hasSuffix(".txt") || input.hasSuffix(".log")
            || (input.contains("/") && !input.contains(" ") && !input.contains("://"))
        if looksLikePath { throw HubDoctorError(.noInput, "\(input) does not exist. Give an existing file, `-` for standard input, or quote the error message.") }
        return (Data(input.utf8), "the message given")
    }

    func render(_ explanation: Explanation, style: TerminalStyle) -> String {
        var lines: [String] = []
        for entry in explanation.entries {
            let finding = entry.finding
            let ok = finding.failureClass == .ok
            let mark = ok ? style.green("✔") : style.red("✘")
            var head = "\(mark) "
            if explanation.input == .har { head += "#\(entry.index + 1) " }
            if let request = entry.request { head += "\(request) " }
            if let status = entry.status { head += "→ \(status) " }
            head += "— " + style.bold(finding.failureClass.rawValue) + style.dim(" (confidence \(String(format: "%.2f", finding.confidence)))")
            lines.append(head)
            // A long HAR: healthy entries get one line each.
            if ok, explanation.entries.count > 1 { continue }
            lines.append("  \(finding.summary)")
            lines += DiagnosisRenderer(style: style).findingLines(finding, steps: !ok, readMore: true)
            lines.append("")
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
