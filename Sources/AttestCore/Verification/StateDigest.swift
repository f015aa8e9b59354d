import Foundation

/// The digest of the recorded state as of a time, which a report prints and `attest verify --digest` checks
/// later. One function per version; the rule for what a time sees is `Evaluator.isVisible`.
public enum StateDigest {
    /// `v2:<hex>`: SHA-256 over the records recorded at or before the time (`record <TAB> ID <TAB> SHA-256 of
    /// its bytes`) and the sources their import records name (`source <TAB> SHA-256`), each group sorted by
    /// UTF-8 bytes, after a header naming the checklist. Neither `allowed_signers` nor `.sig` files are inputs.
    public static func current(checklistID: String, records: some Sequence<StoredRecord>) -> String {
        var sorted: [(high: UInt64, low: UInt64, stored: StoredRecord)] = []
        sorted.reserveCapacity(records.underestimatedCount)
        var sources = Set<String>()
        for stored in records {
            let (high, low) = prefixKey(stored.record.id)
            sorted.append((high, low, stored))
            if stored.record.type == .import, case .import(let body) = stored.record.body { sources.insert(body.source.sha256) }
        }
        // By the first 16 bytes packed in two integers (no string is touched for most comparisons at 10^5
        // records), then each run of equal prefixes by the whole ID: the order of the IDs' UTF-8 bytes.
        sorted.sort { ($0.high, $0.low) < ($1.high, $1.low) }
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && sorted[end].high == sorted[start].high && sorted[end].low == sorted[start].low { end += 1 }
            if end - start > 1 { sorted[start..<end].sort { $0.stored.record.id.utf8.lexicographicallyPrecedes($1.stored.record.id.utf8) } }
            start = end
        }
        var text = Array("attest-state-v2\t\(checklistID)\n".utf8)
        text.reserveCapacity(sorted.count * 96 + 128)
        for entry in sorted {
            text += "record\t".utf8
            text += entry.stored.record.id.utf8
            text.append(UInt8(ascii: "\t"))
            text += entry.stored.sha256.utf8
            text.append(UInt8(ascii: "\n"))
        }
        for sha256 in sources.sorted() { text += "source\t\(sha256)\n".utf8 }
        return "v2:" + FileHasher.sha256(of: text)
    }

    /// The first 16 bytes of `text`, big-endian in two integers (zeros past its end).
    private static func prefixKey(_ text: String) -> (UInt64, UInt64) {
        var text = text
        return text.withUTF8 { bytes in
            var high: UInt64 = 0, low: UInt64 = 0
            for position in 0..<min(16, bytes.count) {
                if position < 8 { high |= UInt64(bytes[position]) << (56 - 8 * position) } else { low |= UInt64(bytes[position]) << (120 - 8 * position) }
            }
            return (high, low)
        }
    }

    /// The digest attest 0.1 printed (no prefix): records only. Kept so that its reports still verify.
    public static func legacy(checklistID: String, records: some Sequence<StoredRecord>) -> String {
        let lines = records.map { ($0.record.id, $0.sha256) }.sorted { $0.0 < $1.0 }
        var text = "attest-state-v1\t\(checklistID)\n"
        for (id, sha256) in lines { text += "\(id)\t\(sha256)\n" }
        return FileHasher.sha256(of: Data(text.utf8))
    }

    /// The digest of the version `expected` is written in, for comparing with it.
    public static func matching(_ expected: String, checklistID: String, records: some Sequence<StoredRecord>) -> String {
        expected.hasPrefix("v2:") ? current(checklistID: checklistID, records: records) : legacy(checklistID: checklistID, records: records)
    }

    /// A digest as a report prints it: `v2:` and 64 hex digits, or 64 hex digits (attest 0.1).
    public static func isWellFormed(_ text: String) -> Bool {
        Identifier.isSHA256(text.hasPrefix("v2:") ? String(text.dropFirst(3)) : text)
    }
}
