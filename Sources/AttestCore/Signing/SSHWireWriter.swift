/// Writes the SSH wire encoding.
struct SSHWireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ raw: some Sequence<UInt8>) { bytes.append(contentsOf: raw) }

    mutating func writeUInt32(_ value: UInt32) {
        bytes.append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    mutating func writeString(_ value: some Collection<UInt8>) {
        writeUInt32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeString(_ value: String) { writeString(Array(value.utf8)) }

    /// An `mpint` from unsigned big-endian magnitude bytes (leading zeros already removed).
    mutating func writeMPInt(_ magnitude: [UInt8]) {
        if let first = magnitude.first, first & 0x80 != 0 {
            writeString([0] + magnitude)
        } else {
            writeString(magnitude)
        }
    }
}
