import Foundation

/// `application/x-www-form-urlencoded` (as in the WHATWG URL standard and RFC 6749 §4.1.3),
/// and percent-encoding of URI components (RFC 3986).
public enum FormEncoding {
    /// Characters RFC 3986 leaves unreserved; everything else is percent-encoded.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// Form encoding: like percent-encoding, but a space becomes `+`.
    public static func formEncode(_ text: String) -> String {
        percentEncode(text).replacingOccurrences(of: "%20", with: "+")
    }

    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
    }

    /// Decodes `a=1&b=two+words`; later duplicates win. Invalid escapes are kept as written.
    public static func decode(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in decodePairs(text) { result[key] = value }
        return result
    }

    public static func decodePairs(_ text: String) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = unescape(String(parts[0]))
            let value = parts.count > 1 ? unescape(String(parts[1])) : ""
            return (key, value)
        }
    }

    public static func unescape(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// The IMF-fixdate of HTTP (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7), written and read
/// by hand: a DateFormatter loads ICU's locale data, which costs more than the whole request.
public enum HTTPDate {
    static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `zone` is `GMT` for HTTP; an e-mail's Date header (RFC 5322 §3.3) has the same shape with `+0000`.
    public static func format(_ date: Date, zone: String = "GMT") -> String {
        let time = UTCFields(date)
        let weekday = Self.days[((time.days % 7) + 7) % 7]
        return "\(weekday), \(UTCFields.two(time.day)) \(months[time.month - 1]) \(time.year) \(time.clock) \(zone)"
    }

    /// Parses IMF-fixdate; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3, (1...31).contains(day), (0...23).contains(time[0]), (0...59).contains(time[1]), (0...60).contains(time[2]) else { return nil }
        let days = daysFromCivil(year: year, month: month + 1, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + time[0] * 3600 + time[1] * 60 + time[2]))
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A UTC time in calendar fields, for the hand-written formats below.
struct UTCFields {
    let epochSeconds: Int
    /// Days since 1970-01-01 (negative before).
    let days: Int
    let year: Int
    let month: Int
    let day: Int
    let secondOfDay: Int

    init(_ date: Date) {
        epochSeconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (quotient, remainder) = epochSeconds.quotientAndRemainder(dividingBy: 86_400)
        days = remainder < 0 ? quotient - 1 : quotient
        secondOfDay = (remainder + 86_400) % 86_400
        (year, month, day) = HTTPDate.civil(fromDays: days)
    }

    /// `HH:mm:ss`.
    var clock: String { "\(Self.two(secondOfDay / 3600)):\(Self.two(secondOfDay / 60 % 60)):\(Self.two(secondOfDay % 60))" }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// RFC 3339 timestamps (`2026-11-29T10:00:00.123Z`, `...+01:00`) read by hand, for HAR files:
/// an ISO8601DateFormatter per entry made explaining a large HAR slow.
public enum RFC3339 {
    /// `2026-11-29T17:04:45Z`, or with milliseconds (`...45.123Z`) as HAR timestamps carry them.
    public static func format(_ date: Date, milliseconds: Bool = false) -> String {
        let time = UTCFields(date)
        var text = "\(time.year)-\(UTCFields.two(time.month))-\(UTCFields.two(time.day))T\(time.clock)"
        if milliseconds {
            let millis = Int(((date.timeIntervalSince1970 - Double(time.epochSeconds)) * 1000).rounded(.down))
            text += "." + String(repeating: "0", count: 3 - String(millis).count) + String(millis)
        }
        return text + "Z"
    }

    /// `20261129T170445Z`: the basic format, for file names.
    public static func formatCompact(_ date: Date) -> String {
        format(date).filter { $0 != "-" && $0 != ":" }
    }

    /// `2026-11-29`.
    public static func formatDay(_ date: Date) -> String { String(format(date).prefix(10)) }

    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + length] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 19, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32, bytes[13] == 58, bytes[16] == 58,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2), let minute = number(14, 2),
            let second = number(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var scale = 0.1
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count {
            switch bytes[index] {
            case 90, 122: offset = 0
            case 43, 45:
                guard let hours = number(index + 1, 2), let minutes = number(index + 4, 2) ?? number(index + 3, 2) else { return nil }
                offset = (hours * 3600 + minutes * 60) * (bytes[index] == 45 ? -1 : 1)
            default: return nil
            }
        }
        let days = HTTPDate.daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction)
    }
}
