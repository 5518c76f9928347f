import Foundation

/// Substring search and replacement on UTF-8 bytes (memchr for the first byte, then memcmp):
/// Foundation's `contains` and
/// `components(separatedBy:)` go through NSString and UTF-16 copies, which dominated the
/// redaction of large HAR files.
public enum ByteSearch {
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        if needle.isEmpty { return true }
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { hay in
            needle.withUTF8 { pin in
                guard pin.count <= hay.count, let hayBase = hay.baseAddress, let pinBase = pin.baseAddress else { return false }
                return find(hayBase, hay.count, pinBase, pin.count) != nil
            }
        }
    }

    /// `haystack` with every occurrence of `needle` replaced, and how many there were.
    public static func replaceAll(_ haystack: String, _ needle: String, with replacement: String) -> (String, Int) {
        guard !needle.isEmpty else { return (haystack, 0) }
        var haystack = haystack
        var needle = needle
        var count = 0
        let result: [UInt8] = haystack.withUTF8 { hay in
            needle.withUTF8 { pin in
                guard let hayBase = hay.baseAddress, let pinBase = pin.baseAddress else { return Array(hay) }
                var out: [UInt8] = []
                out.reserveCapacity(hay.count)
                var offset = 0
                while offset <= hay.count - pin.count {
                    guard let found = find(hayBase + offset, hay.count - offset, pinBase, pin.count) else { break }
                    let position = offset + found
                    out.append(contentsOf: UnsafeBufferPointer(start: hayBase + offset, count: position - offset))
                    out.append(contentsOf: replacement.utf8)
                    offset = position + pin.count
                    count += 1
                }
                out.append(contentsOf: UnsafeBufferPointer(start: hayBase + offset, count: hay.count - offset))
                return out
            }
        }
        return count == 0 ? (haystack, 0) : (String(decoding: result, as: UTF8.self), count)
    }

    /// The offset of the first occurrence of `needle` in `haystack`, if any.
    static func find(_ haystack: UnsafePointer<UInt8>, _ haystackCount: Int, _ needle: UnsafePointer<UInt8>, _ needleCount: Int) -> Int? {
        guard needleCount > 0, needleCount <= haystackCount else { return needleCount == 0 ? 0 : nil }
        let first = Int32(needle[0])
        var offset = 0
        let last = haystackCount - needleCount
        while offset <= last {
            guard let hit = memchr(haystack + offset, first, last - offset + 1) else { return nil }
            let position = UnsafeRawPointer(hit) - UnsafeRawPointer(haystack)
            if memcmp(haystack + position, needle, needleCount) == 0 { return position }
            offset = position + 1
        }
        return nil
    }
}
