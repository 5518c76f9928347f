import Foundation

/// Maps over indices on every core, keeping the order. For explaining large HAR files, where each
/// entry is independent.
enum ParallelMap {
    /// Results and the first error, written by several threads under one lock.
    final class Slots<T>: @unchecked Sendable {
        var values: [T?]
        var error: (index: Int, error: Error)?
        let lock = NSLock()
        init(_ count: Int) { values = Array(repeating: nil, count: count) }
    }

    /// `transform` must be safe to call from several threads at once.
    static func map<T>(count: Int, chunk: Int = 64, _ transform: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        guard count > chunk else { return try (0..<count).map(transform) }
        let slots = Slots<T>(count)
        let chunks = (count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { part in
            let range = (part * chunk)..<min(count, (part + 1) * chunk)
            var local: [T] = []
            local.reserveCapacity(range.count)
            do {
                for index in range { local.append(try transform(index)) }
            } catch {
                slots.lock.lock()
                if slots.error == nil || range.lowerBound < slots.error!.index { slots.error = (range.lowerBound, error) }
                slots.lock.unlock()
                return
            }
            slots.lock.lock()
            for (offset, value) in local.enumerated() { slots.values[range.lowerBound + offset] = value }
            slots.lock.unlock()
        }
        if let failure = slots.error { throw failure.error }
        return slots.values.map { $0! }
    }
}
