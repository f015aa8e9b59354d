/// Bytes appended to one growing allocation: what reports and records are rendered into. At 10^5 records a
/// report makes some 10^7 small appends; an Array checks its uniqueness and capacity and goes through a
/// generic copy on each, which cost a third of rendering the OSCAL document. Here an append is a capacity
/// check and a copy.
///
/// A value type whose copies share their bytes: it is meant to be owned by one writer and passed `inout`.
/// Memory-safe all the same: the allocation lives as long as any copy refers to it.
public struct ByteBuffer: @unchecked Sendable {
    /// Owns the allocation; `pointer` points into it.
    @usableFromInline final class Storage: @unchecked Sendable {
        let base: UnsafeMutablePointer<UInt8>
        init(capacity: Int) { base = .allocate(capacity: capacity) }
        deinit { base.deallocate() }
    }

    // Inlinable, so that an append in another module is a compare and a copy, not a call.
    @usableFromInline var storage: Storage
    @usableFromInline var pointer: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var used = 0

    public var count: Int { used }

    public init(capacity: Int = 256) {
        self.capacity = max(16, capacity)
        storage = Storage(capacity: self.capacity)
        pointer = storage.base
    }

    public var isEmpty: Bool { used == 0 }

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        if used == capacity { grow(toHold: used + 1) }
        pointer[used] = byte
        used += 1
    }

    @inlinable @inline(__always)
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        if used + bytes.count > capacity { grow(toHold: used + bytes.count) }
        UnsafeMutableRawPointer(pointer + used).copyMemory(from: source, byteCount: bytes.count)
        used += bytes.count
    }

    @inlinable @inline(__always)
    public mutating func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `text`'s UTF-8, unescaped. Read in place (a native string always is): a copy would retain and release it.
    @inlinable @inline(__always)
    public mutating func append(utf8 text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0)) }) == nil {
            var text = text
            text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
        }
    }

    public mutating func append(_ other: ByteBuffer) {
        other.withUnsafeBytes { append($0) }
    }

    /// Lets `body` write up to `maximum` bytes at the end; it returns how many it wrote.
    @inlinable @inline(__always)
    public mutating func write(atMost maximum: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if used + maximum > capacity { grow(toHold: used + maximum) }
        let written = body(pointer + used)
        precondition(written >= 0 && written <= maximum)
        used += written
    }

    /// Forgets the bytes, keeping the allocation.
    public mutating func removeAll() { used = 0 }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(UnsafeRawBufferPointer(start: pointer, count: used)) }
    }

    public var array: [UInt8] { withUnsafeBytes { Array($0) } }

    @usableFromInline @inline(never)
    mutating func grow(toHold needed: Int) {
        var capacity = self.capacity
        while capacity < needed { capacity *= 2 }
        let larger = Storage(capacity: capacity)
        larger.base.update(from: pointer, count: used)
        storage = larger
        pointer = larger.base
        self.capacity = capacity
    }
}
