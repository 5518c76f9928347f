import Foundation
import Testing
@testable import HubDoctorCore

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func millionAs() {
        #expect(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)).hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func hmacRFC4231Case2() {
        let mac = SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(mac.hexString == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}

@Suite struct HTTPDateTests {
    @Test(arguments: [
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777.0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
        ("Tue, 29 Feb 2000 12:00:00 GMT", 951_825_600.0),
        ("Sun, 29 Nov 2026 15:14:04 GMT", 1_795_965_244.0),
    ])
    func parsesAndFormatsIMFFixdate(text: String, seconds: Double) throws {
        let date = try #require(HTTPDate.parse(text))
        #expect(date.timeIntervalSince1970 == seconds)
        #expect(HTTPDate.format(date) == text)
    }

    @Test(arguments: ["", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT"])
    func rejectsOtherFormats(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }
}

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-11-29T10:00:00.000Z", 1_795_946_400.0),
        ("2026-11-29T10:00:00Z", 1_795_946_400.0),
        ("2026-11-29T11:00:00.5+01:00", 1_795_946_400.5),
        ("1970-01-01T00:00:00Z", 0.0),
    ])
    func parses(text: String, seconds: Double) throws {
        #expect(try #require(RFC3339.parse(text)).timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["", "2026-11-29", "2026-13-01T00:00:00Z", "yesterday", "2026-11-29T10:00:00 PST"])
    func rejects(text: String) { #expect(RFC3339.parse(text) == nil) }
}

extension RFC3339Tests {
    @Test func formatsAndReadsBack() throws {
        let date = Date(timeIntervalSince1970: 1_795_946_400.25)
        #expect(RFC3339.format(date) == "2026-11-29T10:00:00Z")
        #expect(RFC3339.format(date, milliseconds: true) == "2026-11-29T10:00:00.250Z")
        #expect(RFC3339.formatDay(date) == "2026-11-29")
        #expect(try #require(RFC3339.parse(RFC3339.format(date, milliseconds: true))).timeIntervalSince1970 == 1_795_946_400.25)
    }
}

/// The bundle's file name and the ticket's Date header were written with DateFormatter; the
/// hand-written formats must give the same text.
@Suite struct HandWrittenDatesMatchDateFormatter {
    static func formatter(_ pattern: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter
    }

    @Test(arguments: [0.0, 784_111_777.0, 951_825_600.5, 1_795_965_244.0, 4_102_444_799.0])
    func sameText(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(RFC3339.formatCompact(date) == Self.formatter("yyyyMMdd'T'HHmmss'Z'").string(from: date))
        #expect(HTTPDate.format(date, zone: "+0000") == Self.formatter("EEE, dd MMM yyyy HH:mm:ss '+0000'").string(from: date))
    }
}
