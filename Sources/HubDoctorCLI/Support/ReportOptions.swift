import ArgumentParser

/// How a diagnosis is shown and kept: the options `diagnose` and `demo` share.
struct ReportOptions: ParsableArguments {
    @Option(help: "text, json or markdown.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Write the support bundle here: a folder, or a file name ending in .zip. Written even when everything works.", valueName: "PATH"))
    var bundle: String?

    @Flag(name: .customLong("no-bundle"), help: "Never write a support bundle.")
    var noBundle = false

    @Flag(help: "Show a curl -v style trace of every exchange (redacted).")
    var verbose = false

    func validate() throws {
        if bundle != nil, noBundle { throw ValidationError("--bundle and --no-bundle cannot be used together.") }
    }
}
