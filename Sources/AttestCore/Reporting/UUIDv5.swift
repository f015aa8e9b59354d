public import Foundation
internal import Crypto

/// Name-based UUIDs (RFC 9562 version 5: SHA-1 of namespace and name), so that the same state exports
/// the same identifiers byte for byte.
public enum UUIDv5 {
    /// The namespace of every UUID attest derives (the contract fixes it).
    public static let attestNamespace = UUID(uuidString: "8c8ffb01-7889-4f93-80ad-25cd8f553576")!

    /// The version-5 UUID of `name` in `namespace`, lowercase as OSCAL writes it.
    public static func make(_ name: String, namespace: UUID = attestNamespace) -> String {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        hasher.update(data: Array(name.utf8))
        return format(hasher.finalize())
    }

    /// The UUID of a path of names (`["finding", checklist, item]`), joined unambiguously: the same as
    /// `make` of `"LENGTH:NAME/LENGTH:NAME…"`.
    public static func make(_ parts: [String]) -> String {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: attestNamespace.uuid) { hasher.update(bufferPointer: $0) }
        for (index, part) in parts.enumerated() {
            hasher.update(data: Array(((index > 0 ? "/" : "") + "\(part.utf8.count):").utf8))
            hasher.update(data: Array(part.utf8))
        }
        return format(hasher.finalize())
    }

    /// The first 16 bytes of the digest with version 5 and the RFC 4122 variant set, as lowercase text.
    private static func format(_ digest: Insecure.SHA1Digest) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, var byte) in digest.prefix(16).enumerated() {
            if index == 6 { byte = (byte & 0x0F) | 0x50 }
            if index == 8 { byte = (byte & 0x3F) | 0x80 }
            if [4, 6, 8, 10].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
