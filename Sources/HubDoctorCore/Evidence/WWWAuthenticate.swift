/// One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1, RFC 6750 §3).
public struct Challenge: Codable, Sendable, Equatable {
    public var scheme: String
    public var parameters: [String: String]
    public var token68: String?

    public init(scheme: String, parameters: [String: String] = [:], token68: String? = nil) {
        self.scheme = scheme
        self.parameters = parameters
        self.token68 = token68
    }

    public subscript(name: String) -> String? { parameters[name.lowercased()] }
}

/// Parses `WWW-Authenticate` values: several challenges in one header, quoted strings with
/// backslash escapes, token68 credentials, and the sloppy spacing servers send.
public enum WWWAuthenticate {
    public static func parse(_ header: String) -> [Challenge] {
        var scanner = Scanner(Array(header.unicodeScalars))
        var challenges: [Challenge] = []
        while true {
            scanner.skip { $0 == " " || $0 == "\t" || $0 == "," }
            guard let scheme = scanner.token(), !scheme.isEmpty else { break }
            var challenge = Challenge(scheme: scheme)
            scanner.skip { $0 == " " || $0 == "\t" }
            // token68 (`Negotiate abc==`) unless what follows is `name=value` (an auth-param).
            let mark = scanner.position
            if !scanner.atParameter(), let candidate = scanner.token68() {
                scanner.skip { $0 == " " || $0 == "\t" }
                if scanner.atEnd || scanner.peek == "," {
                    challenge.token68 = candidate
                    challenges.append(challenge)
                    continue
                }
                scanner.position = mark
            }
            // auth-params until the next challenge starts (a token not followed by "=").
            while true {
                scanner.skip { $0 == " " || $0 == "\t" || $0 == "," }
                let before = scanner.position
                guard let name = scanner.token(), !name.isEmpty else { break }
                scanner.skip { $0 == " " || $0 == "\t" }
                guard scanner.peek == "=" else {
                    scanner.position = before
                    break
                }
                scanner.advance()
                scanner.skip { $0 == " " || $0 == "\t" }
                let value = scanner.peek == "\"" ? scanner.quoted() : (scanner.token() ?? "")
                challenge.parameters[name.lowercased()] = value
            }
            challenges.append(challenge)
        }
        return challenges
    }

    struct Scanner {
        let scalars: [Unicode.Scalar]
        var position = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { position >= scalars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : scalars[position] }
        mutating func advance() { position += 1 }

        mutating func skip(while predicate: (Unicode.Scalar) -> Bool) {
            while let scalar = peek, predicate(scalar) { position += 1 }
        }

        /// True when the text ahead is `token BWS "=" BWS value`, not a token68 ending in "=".
        func atParameter() -> Bool {
            var probe = self
            guard probe.token() != nil else { return false }
            probe.skip { $0 == " " || $0 == "\t" }
            guard probe.peek == "=" else { return false }
            probe.advance()
            probe.skip { $0 == " " || $0 == "\t" }
            guard let next = probe.peek else { return false }
            return next != "=" && next != ","
        }

        /// RFC 9110 tchar run.
        mutating func token() -> String? {
            let start = position
            while let scalar = peek, Self.isTokenCharacter(scalar) { position += 1 }
            return position > start ? String(String.UnicodeScalarView(scalars[start..<position])) : nil
        }

        /// token68: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/", then "=" padding.
        mutating func token68() -> String? {
            let start = position
            while let scalar = peek, scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || "-._~+/".unicodeScalars.contains(scalar) {
                position += 1
            }
            while peek == "=" { position += 1 }
            return position > start ? String(String.UnicodeScalarView(scalars[start..<position])) : nil
        }

        /// A quoted-string with `\"` and `\\` escapes; an unterminated one runs to the end.
        mutating func quoted() -> String {
            advance()
            var out = String.UnicodeScalarView()
            while let scalar = peek {
                advance()
                if scalar == "\"" { break }
                if scalar == "\\", let next = peek {
                    out.append(next)
                    advance()
                } else {
                    out.append(scalar)
                }
            }
            return String(out)
        }

        static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII, scalar.properties.isAlphabetic { return true }
            if ("0"..."9").contains(scalar) { return true }
            return "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar)
        }
    }
}
