import Foundation
import HubDoctorCore

/// A small deterministic generator (SplitMix64): generated cases are the same on every run of a seed.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Secrets of many shapes, for the redaction property test.
public enum SecretShapes {
    static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static let symbols = Array("!#$%&'()*+,-./:;<=>?@[]^_{|}~\"\\")
    static let unicode = Array("éüßøñçåЖжλΩ中文字鍵🔑🙂")

    public static let shapes = ["alphanumeric", "prefixed", "hex", "base64", "symbols", "unicode", "jwt", "spaces", "uuid", "percent"]

    static func run(_ alphabet: [Character], _ count: Int, _ generator: inout SeededGenerator) -> String {
        String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// One secret of the named shape: at least 12 characters, no leading or trailing space, no control characters.
    public static func make(_ shape: String, _ generator: inout SeededGenerator) -> String {
        switch shape {
        case "prefixed":
            return ["sk_live_", "xoxb-", "ghp_", "pat-na1-", "AKIA"].randomElement(using: &generator)! + run(alphanumerics, Int.random(in: 20...36, using: &generator), &generator)
        case "hex":
            return run(Array("0123456789abcdef"), 32, &generator)
        case "base64":
            let bytes = (0..<Int.random(in: 12...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return Data(bytes).base64EncodedString()
        case "symbols":
            return run(alphanumerics + symbols, Int.random(in: 14...30, using: &generator), &generator) + run(alphanumerics, 2, &generator)
        case "unicode":
            return run(alphanumerics + unicode, Int.random(in: 12...24, using: &generator), &generator) + run(alphanumerics, 2, &generator)
        case "jwt":
            let header = Base64URL.encode(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
            let claims = #"{"sub":"\#(run(alphanumerics, 10, &generator))","exp":\#(Int.random(in: 1_700_000_000...1_900_000_000, using: &generator)),"scope":"read"}"#
            return header + "." + Base64URL.encode(Data(claims.utf8)) + "." + run(alphanumerics + ["-", "_"], 43, &generator)
        case "spaces":
            return (0..<4).map { _ in run(alphanumerics, Int.random(in: 4...8, using: &generator), &generator) }.joined(separator: " ")
        case "uuid":
            var generatorBytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
            generatorBytes[6] = (generatorBytes[6] & 0x0f) | 0x40
            return UUID(uuid: (generatorBytes[0], generatorBytes[1], generatorBytes[2], generatorBytes[3], generatorBytes[4], generatorBytes[5], generatorBytes[6], generatorBytes[7],
                               generatorBytes[8], generatorBytes[9], generatorBytes[10], generatorBytes[11], generatorBytes[12], generatorBytes[13], generatorBytes[14], generatorBytes[15])).uuidString
        case "percent":
            return run(alphanumerics, 6, &generator) + "%2F%3D" + run(alphanumerics + ["%", "+", "="], 10, &generator) + run(alphanumerics, 2, &generator)
        default:
            return run(alphanumerics, Int.random(in: 12...40, using: &generator), &generator)
        }
    }

    /// Every encoding a secret must not appear in: plain, Base64 (standard and URL-safe, padded or not),
    /// URL-encoded (percent and form styles) and JSON-escaped.
    public static func encodings(of secret: String) -> [(name: String, text: String)] {
        let base64 = Data(secret.utf8).base64EncodedString()
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let percent = secret.addingPercentEncoding(withAllowedCharacters: unreserved) ?? secret
        var json = ""
        for scalar in secret.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            default: json.unicodeScalars.append(scalar)
            }
        }
        var jsonASCII = ""
        for scalar in json.unicodeScalars {
            if scalar.value > 0x7E { for unit in String(scalar).utf16 { jsonASCII += String(format: "\\u%04x", unit) } } else { jsonASCII.unicodeScalars.append(scalar) }
        }
        let candidates: [(String, String)] = [
            ("plain", secret), ("base64", base64), ("base64 without padding", base64.replacingOccurrences(of: "=", with: "")),
            ("base64url", Base64URL.encode(Data(secret.utf8))), ("percent-encoded", percent),
            ("form-encoded", percent.replacingOccurrences(of: "%20", with: "+")),
            ("percent-encoded, lower-case hex", percent.replacingOccurrences(of: #"%[0-9A-F]{2}"#, with: "$0", options: .regularExpression).lowercased() == percent.lowercased() ? lowercaseEscapes(percent) : percent),
            ("JSON-escaped", json), ("JSON-escaped with escaped slashes", json.replacingOccurrences(of: "/", with: "\\/")), ("JSON-escaped ASCII", jsonASCII),
        ]
        var seen = Set<String>()
        return candidates.filter { seen.insert($0.1).inserted && $0.1.count >= 8 }
    }

    static func lowercaseEscapes(_ text: String) -> String {
        var out = ""
        var pending = 0
        for character in text {
            if character == "%" { pending = 2; out.append(character) } else if pending > 0 { out += character.lowercased(); pending -= 1 } else { out.append(character) }
        }
        return out
    }
}
