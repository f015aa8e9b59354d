import Foundation

/// The digest of the recorded state as of a time, which a report prints and `attest verify --digest` checks
/// later. One function per version; the rule for what a time sees is `Evaluator.isVisible`.
public enum StateDigest {
    /// `v2:<hex>`: SHA-256 over the records recorded at or before the time (`record <TAB> ID <TAB> SHA-256 of
    /// its bytes`) and the sources their import records name (`source <TAB> SHA-256`), each group sorted by
    /// UTF-8 bytes, after a header naming the checklist. Neither `allowed_signers` nor `.sig` files are inputs.
    public static func current(checklistID: String, records: some Sequence<StoredRecord>) -> String {
        // Each record's line (`ID <TAB> SHA-256 <LF>`) is written once, and the lines are sorted as places in
        // that buffer: sorting the records themselves retained and released each many times, while other
        // threads evaluating the same records did too (a contended reference count costs a cache miss).
        var lines = ByteBuffer(capacity: 1 << 20)
        var keys: [LineKey] = []
        keys.reserveCapacity(records.underestimatedCount)
        var sources = Set<String>()
        for stored in records {
            let start = lines.count
            lines.append(utf8: stored.record.id)
            lines.append(UInt8(ascii: "\t"))
            lines.append(utf8: stored.sha256)
            lines.append(UInt8(ascii: "\n"))
            keys.append(LineKey(start: start, end: lines.count))
            if stored.record.item == nil, case .import(let body) = stored.record.body { sources.insert(body.source.sha256) }
        }
        var text = ByteBuffer(capacity: lines.count + keys.count * 8 + 256)
        text.append(utf8: "attest-state-v2\t\(checklistID)\n")
        lines.withUnsafeBytes { bytes in
            for index in keys.indices { keys[index].readPrefix(from: bytes) }
            // By the first 16 bytes packed in two integers, and where those are equal by the whole line. IDs hold
            // no byte below the tab, so lines sort as their IDs' UTF-8 bytes do.
            keys.sort { first, second in
                (first.high, first.low) != (second.high, second.low) ? (first.high, first.low) < (second.high, second.low)
                    : bytes[first.start..<first.end].lexicographicallyPrecedes(bytes[second.start..<second.end])
            }
            for key in keys {
                text.append("record\t")
                text.append(UnsafeRawBufferPointer(rebasing: bytes[key.start..<key.end]))
            }
        }
        for sha256 in sources.sorted() { text.append(utf8: "source\t\(sha256)\n") }
        return "v2:" + text.withUnsafeBytes { FileHasher.sha256(of: $0) }
    }

    /// Where one record's line lies in the buffer of lines, and its first 16 bytes, big-endian in two integers
    /// (zeros past its end): no string is touched for most comparisons at 10^5 records.
    private struct LineKey {
        var start: Int, end: Int
        var high: UInt64 = 0, low: UInt64 = 0

        init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }

        mutating func readPrefix(from bytes: UnsafeRawBufferPointer) {
            for position in 0..<min(16, end - start) {
                let byte = UInt64(bytes[start + position])
                if position < 8 { high |= byte << (56 - 8 * position) } else { low |= byte << (120 - 8 * position) }
            }
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
