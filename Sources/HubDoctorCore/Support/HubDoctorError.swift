import Foundation

/// hubdoctor's own trouble (not the probed API's): a bad file, a bad flag, a missing input.
///
/// The message is a whole sentence that names the file, line or field and says what to do next;
/// the kind decides the exit status from the contract.
public struct HubDoctorError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A command-line mistake: exit 64.
        case usage
        /// Bad input data (invalid YAML, malformed HAR, unknown auth type): exit 65.
        case dataError
        /// An input file is missing or unreadable: exit 66.
        case noInput
        /// A bug or an environment hubdoctor cannot work in: exit 70.
        case internalError
    }

    public let kind: Kind
    /// Where in an input file the problem is, when it is in one.
    public let location: SourceLocation?
    /// The sentence without the location.
    public let detail: String

    public init(_ kind: Kind, _ message: String, location: SourceLocation? = nil) {
        self.kind = kind
        self.detail = message
        self.location = location
    }

    /// The whole message: `file:line: detail` when located.
    public var message: String { (location?.prefix ?? "") + detail }

    public var description: String { message }

    public var exitCode: Int32 {
        switch kind {
        case .usage: ExitStatus.usage
        case .dataError: ExitStatus.dataError
        case .noInput: ExitStatus.noInput
        case .internalError: ExitStatus.internalError
        }
    }

    /// A data error located at `file:line`, in the form editors and CI logs link to.
    public static func data(_ file: String, line: Int?, _ message: String) -> HubDoctorError {
        HubDoctorError(.dataError, message, location: SourceLocation(file: file, line: line))
    }
}

/// A place in an input file, printed as `file:line: ` (or `file: ` when the line is unknown).
public struct SourceLocation: Sendable, Equatable, Codable {
    public var file: String
    public var line: Int?

    public init(file: String, line: Int?) {
        self.file = file
        self.line = line
    }

    public var prefix: String {
        if let line { return "\(file):\(line): " }
        return "\(file): "
    }
}
