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

    /// `work(i)` for `i` in `0..<count`, each on a thread of its own; results in index order. For a few long
    /// jobs that each use every core inside (`map`): nested in another `map`, libdispatch divides the inner
    /// loop's width by the outer one's, which on two cores left the inner one on a single thread (measured:
    /// every OSCAL observation of a report rendered on one core while the other sat idle).
    public static func threads<T: Sendable>(_ count: Int, _ work: @escaping @Sendable (Int) -> T) -> [T] {
        let jobs = (0..<count).map { index in Background { work(index) } }
        return jobs.map(\.value)
    }

    /// `0..<count` cut into at most `runs` ranges of equal size (the last shorter), none empty: the runs of
    /// work that `map` hands to the cores.
    public static func ranges(_ count: Int, runs: Int) -> [Range<Int>] {
        ranges(count, size: (count + max(1, runs) - 1) / max(1, runs))
    }

    /// `0..<count` cut into ranges of `size` (the last shorter), none empty.
    public static func ranges(_ count: Int, size: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        return stride(from: 0, to: count, by: max(1, size)).map { $0..<min(count, $0 + max(1, size)) }
    }

    /// Frees `value` on a thread of its own, when the caller held the last reference to it (pass it with
    /// `consume`): dropping 10^5 records' strings and a cache's buffers takes tens of milliseconds that the
    /// caller need not wait for.
    public static func release<T: Sendable>(_ value: consuming T) {
        let value = value
        Thread { withExtendedLifetime(value) {} }.start()
    }

    /// Each index is written by exactly one iteration, so no lock is needed: the slots are plain memory,
    /// written through a pointer. (An Array's `withUnsafeMutableBufferPointer` would not do: it moves the
    /// array's storage out of the property while it runs, so two iterations at once could write through an
    /// empty array's storage; one CI run crashed so.)
    private final class Slots<T>: @unchecked Sendable {
        private let base: UnsafeMutablePointer<T?>
        private let count: Int

        init(count: Int) {
            self.count = count
            base = .allocate(capacity: count)
            base.initialize(repeating: nil, count: count)
        }

        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }

        func set(_ index: Int, _ value: T) {
            precondition(index >= 0 && index < count)
            base[index] = value
        }

        func values() -> [T] { (0..<count).map { base[$0]! } }
    }
}

/// `work`, run on a thread of its own while the caller goes on (a `git config` lookup beside the reading of a
/// matrix); `value` waits for it.
public final class Background<T: Sendable>: @unchecked Sendable {
    private var result: T?
    private let done = DispatchSemaphore(value: 0)

    public init(_ work: @escaping @Sendable () -> T) {
        Thread { [self] in
            result = work()
            done.signal()
        }.start()
    }

    public var value: T {
        done.wait()
        defer { done.signal() }
        return result!
    }
}
