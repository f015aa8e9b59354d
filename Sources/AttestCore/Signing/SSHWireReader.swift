import Foundation

/// Reads the SSH wire encoding (RFC 4251 §5): `uint32`, `string`, `mpint`, bounded by the bytes at hand.
/// Every read checks the length first, so truncated or garbage input throws instead of trapping.
struct SSHWireReader {
    struct Truncated: Error {}

    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ data: Data) { self.bytes = [UInt8](data) }

    var isAtEnd: Bool { offset == bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func readByte() throws -> UInt8 {
        guard remaining >= 1 else { throw Truncated() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt32() throws -> UInt32 {
        guard remaining >= 4 else { throw Truncated() }
        defer { offset += 4 }
        return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func readBytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, remaining >= count else { throw Truncated() }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A length-prefixed byte string.
    mutating func readString() throws -> [UInt8] {
        let length = try readUInt32()
        guard UInt64(length) <= UInt64(remaining) else { throw Truncated() }
        return try readBytes(Int(length))
    }

    /// A length-prefixed text without NUL bytes (OpenSSH's `sshbuf_get_cstring`), as UTF-8 or Latin-1-safe bytes.
    mutating func readCString() throws -> [UInt8] {
        let value = try readString()
        guard !value.contains(0) else { throw SSHWireError.embeddedNUL }
        return value
    }

    /// An `mpint` that must not be negative (OpenSSH refuses those), with leading zeros removed; at most
    /// `maxBytes` significant bytes.
    mutating func readPositiveMPInt(maxBytes: Int) throws -> [UInt8] {
        let value = try readString()
        if let first = value.first, first & 0x80 != 0 { throw SSHWireError.negativeInteger }
        let trimmed = Array(value.drop { $0 == 0 })
        guard trimmed.count <= maxBytes else { throw SSHWireError.integerTooLarge }
        return trimmed
    }
}

enum SSHWireError: Error {
    case embeddedNUL
    case negativeInteger
    case integerTooLarge
}
