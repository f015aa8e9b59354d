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
        var name: [UInt8] = []
        name.reserveCapacity(parts.reduce(16 + 8 * parts.count) { $0 + $1.utf8.count })
        withUnsafeBytes(of: attestNamespace.uuid) { name.append(contentsOf: $0) }
        for (index, part) in parts.enumerated() {
            if index > 0 { name.append(UInt8(ascii: "/")) }
            name.append(contentsOf: String(part.utf8.count).utf8)
            name.append(UInt8(ascii: ":"))
            name.append(contentsOf: part.utf8)
        }
        return format(Insecure.SHA1.hash(data: name))
    }

    /// The first 16 bytes of the digest with version 5 and the RFC 4122 variant set, as lowercase text.
    private static func format(_ digest: Insecure.SHA1Digest) -> String {
        let hex: StaticString = "0123456789abcdef"  // not an Array: 10^5 UUIDs a report would allocate one each
        return digest.withUnsafeBytes { digest in
            String(unsafeUninitializedCapacity: 36) { text in
                var offset = 0
                for index in 0..<16 {
                    var byte = digest[index]
                    if index == 6 { byte = (byte & 0x0F) | 0x50 }
                    if index == 8 { byte = (byte & 0x3F) | 0x80 }
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[offset] = UInt8(ascii: "-")
                        offset += 1
                    }
                    text[offset] = hex.utf8Start[Int(byte >> 4)]
                    text[offset + 1] = hex.utf8Start[Int(byte & 0x0F)]
                    offset += 2
                }
                return offset
            }
        }
    }
}
