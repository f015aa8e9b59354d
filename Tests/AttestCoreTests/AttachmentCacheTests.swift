@testable import AttestCore
import Foundation
import Testing

/// The attachment stat cache's reader (`.attest/attachments-<id>.cache`), read in place, against the reading
/// it replaced (lines and fields split into `Data` and strings first) as the reference: the same entries, or
/// nothing, for every input.
struct AttachmentCacheTests {
    static func reference(_ data: Data) -> [String: AttachmentStore.CacheEntry] {
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.first.map({ String(decoding: $0, as: UTF8.self) }) == AttachmentStore.cacheHeader else { return [:] }
        var cache: [String: AttachmentStore.CacheEntry] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard fields.count == 5, fields[0].count == 64 else { return [:] }
            let hash = String(decoding: fields[0], as: UTF8.self)
            guard Identifier.isSHA256(hash), let size = Int64(String(decoding: fields[1], as: UTF8.self)),
                  let mtime = Int64(String(decoding: fields[2], as: UTF8.self)), let ctime = Int64(String(decoding: fields[3], as: UTF8.self)),
                  let inode = UInt64(String(decoding: fields[4], as: UTF8.self))
            else { return [:] }
            cache[hash] = AttachmentStore.CacheEntry(size: size, mtime: mtime, ctime: ctime, inode: inode)
        }
        return cache
    }

    static func valid(lines count: Int, using generator: inout some RandomNumberGenerator) -> [UInt8] {
        var text = AttachmentStore.cacheHeader + "\n"
        for _ in 0..<count {
            let hash = (0..<64).map { _ in "0123456789abcdef".randomElement(using: &generator)! }
            text += "\(String(hash)) \(Int64.random(in: 0...1 << 40, using: &generator)) \(Int64.random(in: .min ... .max, using: &generator)) "
                + "\(Int64.random(in: 0 ... .max, using: &generator)) \(UInt64.random(in: .min ... .max, using: &generator))\n"
        }
        return Array(text.utf8)
    }

    @Test func aCacheAsWrittenIsReadWhole() {
        var generator = SystemRandomNumberGenerator()
        let data = Data(Self.valid(lines: 500, using: &generator))
        let read = AttachmentStore.parseCache(data)
        #expect(read.count == 500)
        #expect(read == Self.reference(data))
    }

    @Test(arguments: [
        "", "\n", AttachmentStore.cacheHeader, AttachmentStore.cacheHeader + "\n", AttachmentStore.cacheHeader + "\n\n\n",
        "attest attachment stat cache 1\n", AttachmentStore.cacheHeader + "\r\n",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "a", count: 64) + " 1 2 3 4",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "a", count: 64) + " +1 -2 3 +4\n",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "a", count: 64) + " 1 2 3 -0\n",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "a", count: 64) + " 1 2 3 -1\n",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "a", count: 64) + " 1  3 4\n",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "a", count: 64) + " 1 2 3 4 5\n",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "A", count: 64) + " 1 2 3 4\n",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "a", count: 64) + " 9223372036854775808 2 3 4\n",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "a", count: 64) + " 1 2 3 18446744073709551615\n",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "a", count: 64) + " 1 2 3 4\r\n",
        AttachmentStore.cacheHeader + "\n" + String(repeating: "a", count: 64) + " 1 2 3 4\n" + String(repeating: "a", count: 64) + " 5 6 7 8\n",
    ])
    func edgesReadAsBefore(_ text: String) {
        let data = Data(text.utf8)
        #expect(AttachmentStore.parseCache(data) == Self.reference(data))
    }

    /// Random damage to a valid cache (bytes replaced, inserted, removed, lines cut): always what the reference reads.
    @Test func damageIsReadAsBefore() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789abcdefABCDEF +-\n\r\t x\u{00}\u{FF}".utf8)
        for _ in 0..<2000 {
            var bytes = Self.valid(lines: Int.random(in: 0...6, using: &generator), using: &generator)
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[at] = alphabet.randomElement(using: &generator)!
                case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: at)
                case 2: bytes.remove(at: at)
                default: bytes.removeSubrange(at...)
                }
            }
            let data = Data(bytes)
            let read = AttachmentStore.parseCache(data)
            #expect(read == Self.reference(data), "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if read != Self.reference(data) { return }
        }
    }
}
