/// Exit statuses of the contract, decided in one place.
///
/// | code | meaning |
/// |---|---|
/// | 0 | every probed method (or explained exchange) is healthy |
/// | 1 | at least one failure needs a person |
/// | 75 | the only failures are transient: try again later |
/// | 64 | usage error |
/// | 65 | bad input data |
/// | 66 | an input file is missing or unreadable |
/// | 70 | internal error |
public enum ExitStatus {
    public static let healthy: Int32 = 0
    public static let needsAttention: Int32 = 1
    public static let usage: Int32 = 64
    public static let dataError: Int32 = 65
    public static let noInput: Int32 = 66
    public static let internalError: Int32 = 70
    public static let transient: Int32 = 75

    /// The exit status for a set of classified results: healthy, transient-only, or needing a person.
    public static func forClasses<S: Sequence>(_ classes: S) -> Int32 where S.Element == FailureClass {
        var sawTransient = false
        for failureClass in classes where failureClass != .ok {
            if failureClass.isTransient {
                sawTransient = true
            } else {
                return needsAttention
            }
        }
        return sawTransient ? transient : healthy
    }
}
