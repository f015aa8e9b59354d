import Crypto
public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 of files and bytes, streamed in 1 MiB blocks.
public enum FileHasher {
    public static func sha256(of data: some DataProtocol) -> String { hex(SHA256.hash(data: data)) }

    /// Hashes a file; when `copyTo` is given, writes the same bytes there as it reads them.
    /// Returns the hash and the size in bytes.
    public static func sha256(fileAt path: String, copyTo destination: String? = nil) throws -> (sha256: String, size: Int64) {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw PosixError(call: "open", code: errno) }
        defer { close(input) }
        return try sha256(descriptor: input, copyTo: destination)
    }

    /// Hashes what can be read from an open descriptor (which the caller checked and closes), copying it
    /// to `destination` when given.
    public static func sha256(descriptor input: Int32, copyTo destination: String? = nil) throws -> (sha256: String, size: Int64) {
        var output: Int32 = -1
        if let destination {
            output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
            guard output >= 0 else { throw PosixError(call: "open", code: errno) }
        }
        defer { if output >= 0 { close(output) } }
        var hasher = SHA256()
        var size: Int64 = 0
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer.baseAddress, capacity)
            if count < 0 {
                if errno == EINTR { continue }
                throw PosixError(call: "read", code: errno)
            }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            hasher.update(bufferPointer: chunk)
            size += Int64(count)
            if output >= 0 {
                var offset = 0
                while offset < count {
                    let written = write(output, chunk.baseAddress! + offset, count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw PosixError(call: "write", code: errno)
                    }
                    offset += written
                }
            }
        }
        if output >= 0 && fsync(output) != 0 { throw PosixError(call: "fsync", code: errno) }
        return (hex(hasher.finalize()), size)
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let table = Array("0123456789abcdef".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(table[Int(byte >> 4)])
            bytes.append(table[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// 64 lowercase hex digits.
    public static func isValidHex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
