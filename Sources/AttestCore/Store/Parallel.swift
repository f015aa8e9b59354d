import Foundation

/// Runs work on every core and collects results in order.
public enum Parallel {
    /// `transform(i)` for `i` in `0..<count`, spread over all cores; results in index order.
    public static func map<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots.set(index, transform(index))
        }
        return slots.values()
    }

    /// Each index is written by exactly one iteration, so no lock is needed.
    private final class Slots<T>: @unchecked Sendable {
        private var storage: [T?]
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: T) {
            storage.withUnsafeMutableBufferPointer { $0[index] = value }
        }
        func values() -> [T] { storage.map { $0! } }
    }
}
