import Foundation

/// One progress line per method while probes run: redrawn in place on a terminal, plain lines when piped.
final class ProgressDisplay: @unchecked Sendable {
    private let console: Console
    private let lock = NSLock()
    private var states: [(id: String, state: String)] = []
    private let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    private var frame = 0
    private let interactive: Bool
    private let quiet: Bool

    init(console: Console, methods: [String], quiet: Bool) {
        self.console = console
        self.quiet = quiet
        interactive = console.stderrIsTerminal && !quiet
        states = methods.map { ($0, "waiting") }
        if !interactive, !quiet, !methods.isEmpty {
            console.error("probing \(methods.count) method\(methods.count == 1 ? "" : "s"): \(methods.joined(separator: ", "))")
        }
    }

    func update(_ id: String, _ state: String) {
        lock.lock()
        defer { lock.unlock() }
        guard let index = states.firstIndex(where: { $0.id == id }) else { return }
        states[index].state = state
        guard interactive else { return }
        frame = (frame + 1) % frames.count
        let line = states.map { "\($0.id): \($0.state)" }.joined(separator: " · ")
        let columns = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
        console.status("\(frames[frame]) " + String(line.prefix(max(20, columns - 3))))
    }

    func finish() {
        if interactive { console.clearStatus() }
    }
}
