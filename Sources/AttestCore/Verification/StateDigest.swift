import Foundation

/// The digest of the recorded state as of a time, which a report prints and `attest verify --digest` checks
/// later. One function per version; the rule for what a time sees is `Evaluator.isVisible`.
public enum StateDigest {
    /// `v2:<hex>`: SHA-256 over the records recorded at or before the time (`record <TAB> ID <TAB> SHA-256 of
    /// its bytes`) and the sources their import records name (`source <TAB> SHA-256`), each group sorted by
    /// UTF-8 bytes, after a header naming the checklist. Neither `allowed_signers` nor `.sig` files are inputs.
    public static func current(checklistID: String, records: some Sequence<StoredRecord>) -> String {
        var lines: [(String, String)] = []
        var sources = Set<String>()
        for stored in records {
            lines.append((stored.record.id, stored.sha256))
            if case .import(let body) = stored.record.body { sources.insert(body.source.sha256) }
        }
        // Record IDs are ASCII (`Identifier.isRecordID`), where String's ordering is the UTF-8 bytes' and fast.
        lines.sort { $0.0 < $1.0 }
        var text = "attest-state-v2\t\(checklistID)\n"
        text.reserveCapacity(lines.count * 120)
        for (id, sha256) in lines {
            text += "record\t"
            text += id
            text += "\t"
            text += sha256
            text += "\n"
        }
        for sha256 in sources.sorted() { text += "source\t\(sha256)\n" }
        return "v2:" + FileHasher.sha256(of: Data(text.utf8))
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
