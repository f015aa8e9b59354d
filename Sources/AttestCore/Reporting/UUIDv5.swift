public import Foundation
internal import Crypto

/// Name-based UUIDs (RFC 9562 version 5: SHA-1 of namespace and name), so that the same state exports
/// the same identifiers byte for byte.
public enum UUIDv5 {
    /// The namespace of every UUID attest derives (the contract fixes it).
    public static let attestNamespace = UUID(uuidString: "8c8ffb01-7889-4f93-80ad-25cd8f553576")!

    /// The version-5 UUID of `name` in `namespace`, lowercase as OSCAL writes it.
    public static func make(_ name: String, namespace: UUID = attestNamespace) -> String {
        var input = Data()
        withUnsafeBytes(of: namespace.uuid) { input.append(contentsOf: $0) }
        input.append(contentsOf: Array(name.utf8))
        var bytes = Array(Insecure.SHA1.hash(data: input).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }

    /// The UUID of a path of names (`["finding", checklist, item]`), joined unambiguously.
    public static func make(_ parts: [String]) -> String {
        make(parts.map { "\($0.utf8.count):\($0)" }.joined(separator: "/"))
    }
}
