import ArgumentParser
import HubDoctorCore

/// Commands whose issue has not landed yet say so plainly and exit 64 rather than pretending.
private func notYet(_ command: String, issue: Int) -> HubDoctorError {
    HubDoctorError(.usage, "`hubdoctor \(command)` is not built yet (issue #\(issue)); `hubdoctor search` and `hubdoctor kb` work today.")
}

struct DiagnoseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diagnose", abstract: "Probe a connection with every configured auth method and name each failure.")
    @Argument var connection: String
    @OptionGroup var knowledge: KnowledgeOptions
    func run() async throws { throw notYet("diagnose", issue: 3) }
}

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Classify an exchange that already happened (HAR, curl output, or a pasted message).")
    @Argument var input: String?
    @OptionGroup var knowledge: KnowledgeOptions
    func run() async throws { throw notYet("explain", issue: 4) }
}

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "login", abstract: "Run the OAuth 2.0 authorization-code flow and store the refresh token.")
    @Argument var connection: String
    @OptionGroup var knowledge: KnowledgeOptions
    func run() async throws { throw notYet("login", issue: 3) }
}

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a commented connection file template.")
    @OptionGroup var knowledge: KnowledgeOptions
    func run() async throws { throw notYet("init", issue: 3) }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Diagnose a built-in connection against a local simulated provider.")
    @OptionGroup var knowledge: KnowledgeOptions
    func run() async throws { throw notYet("demo", issue: 3) }
}
