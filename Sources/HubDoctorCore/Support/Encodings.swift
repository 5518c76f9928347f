import Foundation

/// Base64url without padding (RFC 4648 §5), as JWTs use it.
public enum Base64URL {
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}

public enum Base64Alphabet {
    case standard, urlSafe
}

/// The part of a value's Base64 that does not depend on what comes before or after it.
///
/// Base64 of "user:secret" does not contain Base64 of "secret": the secret's bytes start at
/// some offset modulo 3 and are mixed into characters with their neighbours'. For each of the
/// three alignments, the characters made only of the secret's own bits are the same wherever the
/// secret sits, so searching for them finds it in any Base64 blob.
enum Base64Core {
    static func aligned(_ bytes: [UInt8], alignment: Int, alphabet: Base64Alphabet) -> String? {
        guard !bytes.isEmpty else { return nil }
        let padded = [UInt8](repeating: 0, count: alignment) + bytes
        var encoded = Data(padded).base64EncodedString()
        if alphabet == .urlSafe { encoded = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_") }
        let characters = Array(encoded.replacingOccurrences(of: "=", with: ""))
        let first = (8 * alignment + 5) / 6
        let last = (8 * (alignment + bytes.count)) / 6  // exclusive
        guard last - first >= 8, last <= characters.count else {
            return alignment == 0 && characters.count >= 8 ? encoded : nil
        }
        return String(characters[first..<last])
    }
}

/// JSON string escaping in the styles encoders use.
enum JSONEscaping {
    static func escape(_ text: String, escapeSlash: Bool, asciiOnly: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += escapeSlash ? "\\/" : "/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            case _ where asciiOnly && scalar.value > 0x7E:
                for unit in String(scalar).utf16 { out += String(format: "\\u%04x", unit) }
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

public enum HTMLEscaping {
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
