import Foundation
import HubDoctorCore

/// Results go to stdout; progress, warnings and errors to stderr. In JSON mode nothing but JSON is on stdout.
final class Console: @unchecked Sendable {
    static let standard = Console()

    let outputStyle: TerminalStyle
    let errorStyle: TerminalStyle
    private let lock = NSLock()

    init() {
        outputStyle = TerminalStyle.detect(fileDescriptor: STDOUT_FILENO)
        errorStyle = TerminalStyle.detect(fileDescriptor: STDERR_FILENO)
    }

    var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    func output(_ text: String) { write(text + "\n", to: FileHandle.standardOutput) }
    func error(_ text: String) { write(text + "\n", to: FileHandle.standardError) }
    func warning(_ text: String) { error(errorStyle.yellow("warning: ") + text) }

    /// Writes `text` on the current stderr line, replacing what was there (progress on a TTY).
    func status(_ text: String) {
        guard stderrIsTerminal else { return }
        write("\r\u{1B}[2K" + text, to: FileHandle.standardError)
    }

    func clearStatus() {
        guard stderrIsTerminal else { return }
        write("\r\u{1B}[2K", to: FileHandle.standardError)
    }

    private func write(_ text: String, to handle: FileHandle) {
        lock.lock()
        defer { lock.unlock() }
        handle.write(Data(text.utf8))
    }

    static func json<T: Encodable>(_ value: T) throws -> String { try JSONOutput.string(value) }
}
