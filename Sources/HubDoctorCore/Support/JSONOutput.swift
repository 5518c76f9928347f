import Foundation

/// How hubdoctor writes JSON everywhere (reports, the bundle, `--format json`): pretty, keys
/// sorted so that output is stable, slashes as they are, dates in ISO 8601.
public enum JSONOutput {
    public static func data<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }

    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try data(value), as: UTF8.self)
    }

    /// The same layout for an untyped object (the HAR, the manifest).
    public static func data(jsonObject: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: jsonObject, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
