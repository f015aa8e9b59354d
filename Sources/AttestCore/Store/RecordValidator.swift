/// The rules `Schemas/*.schema.json` state that decoding alone does not check (non-empty strings, patterns,
/// hashes, sizes), and where a record must lie. A record that breaks one is an input error naming the file
/// and the field, in every command that reads it.
public enum RecordValidator {
    /// `^[0-9]+\.[0-9]+$`
    static func isSchemaVersion(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else { return false }
        let isDigits = { (part: Substring.UTF8View) in !part.isEmpty && part.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
        return isDigits(Substring(text).utf8[..<dot]) && isDigits(Substring(text).utf8[bytes.index(after: dot)...])
    }

    /// `^R?A?C?I?$`: normalized RACI letters.
    static func isLetters(_ text: String) -> Bool {
        var rest = text.utf8[...]
        for letter in "RACI".utf8 where rest.first == letter { rest = rest.dropFirst() }
        return rest.isEmpty
    }

    public static func check(_ record: Record, path: String, folder: String, fileName: String, checklistID: String) throws {
        func fail(_ field: String, _ rule: String) -> StoreError {
            .malformed(path: path, line: nil, column: nil, detail: "\"\(field)\" \(rule)")
        }
        func nonEmpty(_ value: String, _ field: String) throws {
            if value.isEmpty { throw fail(field, "must not be empty") }
        }
        guard isSchemaVersion(record.schemaVersion) else { throw fail("schemaVersion", "must be MAJOR.MINOR, such as 1.1") }
        guard Identifier.isRecordID(record.id) else { throw fail("id", "must match ^[A-Za-z0-9][A-Za-z0-9._-]*$ (at most 128 characters)") }
        guard fileName.utf8.count == record.id.utf8.count + 5, fileName.hasSuffix(".json"), fileName.utf8.starts(with: record.id.utf8) else { throw fail("id", "is \"\(record.id)\" but the file is named \(fileName); a record's file is <id>.json") }
        guard Identifier.isChecklistID(record.checklist) else { throw fail("checklist", "must be a checklist ID (lowercase words joined by hyphens)") }
        guard record.checklist == checklistID else { throw fail("checklist", "is \"\(record.checklist)\" but the file is in checklist \"\(checklistID)\"") }
        try nonEmpty(record.by, "by")

        switch record.body {
        case .import, .settings:
            if let item = record.item { throw fail("item", "is \"\(item)\", but \(record.type.rawValue) records name no item") }
            guard folder == ChecklistStore.checklistFolder else {
                throw fail("type", "is \"\(record.type.rawValue)\": such records lie in records/checklist/, not records/\(folder)/")
            }
        default:
            guard let item = record.item, Identifier.isItemID(item) else { throw fail("item", "must be an item ID such as ACCS-07") }
            guard item == folder else {
                if folder == ChecklistStore.checklistFolder {
                    throw fail("type", "is \"\(record.type.rawValue)\": records/checklist/ holds only import and settings records")
                }
                throw fail("item", "is \"\(item)\" but the record lies in records/\(folder)/; a record lies in the folder of its item")
            }
        }

        switch record.body {
        case .evidence(let evidence):
            for (index, attachment) in evidence.attachments.enumerated() {
                try nonEmpty(attachment.name, "attachments[\(index)].name")
                if attachment.size < 0 { throw fail("attachments[\(index)].size", "must not be negative") }
                if !Identifier.isSHA256(attachment.sha256) { throw fail("attachments[\(index)].sha256", "must be 64 lowercase hex digits") }
            }
            for (index, reference) in evidence.references.enumerated() {
                try nonEmpty(reference.url, "references[\(index)].url")
                if !Identifier.isSHA256(reference.sha256) { throw fail("references[\(index)].sha256", "must be 64 lowercase hex digits") }
            }
            for (index, link) in evidence.links.enumerated() { try nonEmpty(link, "links[\(index)]") }
        case .revocation(let body):
            guard Identifier.isRecordID(body.target) else { throw fail("target", "must be a record ID") }
            try nonEmpty(body.reason, "reason")
        case .waiver(let body):
            try nonEmpty(body.reason, "reason")
            try nonEmpty(body.approvedBy, "approvedBy")
        case .notApplicable(let body):
            try nonEmpty(body.reason, "reason")
            try nonEmpty(body.approvedBy, "approvedBy")
        case .review(let body):
            guard Identifier.isRecordID(body.target) else { throw fail("target", "must be a record ID") }
        case .import(let body):
            guard Identifier.isSHA256(body.source.sha256) else { throw fail("source.sha256", "must be 64 lowercase hex digits") }
            guard ChecklistStore.isSourceFile(body.source.file) else { throw fail("source.file", "must be source/sha256/<hash>") }
            guard Identifier.isItemPrefix(body.prefix) else { throw fail("prefix", "must match ^[A-Z][A-Z0-9]*$") }
            for id in body.follows ?? [] where !Identifier.isRecordID(id) { throw fail("follows", "must hold record IDs") }
            if let version = body.readerVersion, version < 1 { throw fail("readerVersion", "must be at least 1") }
            if let url = body.source.url, url.isEmpty { throw fail("source.url", "must not be empty") }
            var seen = Set<String>()
            for (index, item) in body.items.enumerated() {
                guard Identifier.isItemID(item.id) else { throw fail("items[\(index)].id", "must match ^[A-Z][A-Z0-9]*-[0-9]{2,}$") }
                guard seen.insert(item.id).inserted else { throw fail("items[\(index)].id", "\"\(item.id)\" appears twice") }
                if item.number < 1 || item.number > 999_999 { throw fail("items[\(index)].number", "must be from 1 to 999999") }
                try nonEmpty(item.task, "items[\(index)].task")
                if let line = item.sourceLine, line < 1 { throw fail("items[\(index)].sourceLine", "must be at least 1") }
                if !isLetters(item.customerLetters) { throw fail("items[\(index)].customerLetters", "must match ^R?A?C?I?$") }
                for (party, letters) in item.responsibility where !isLetters(letters) {
                    throw fail("items[\(index)].responsibility.\(party)", "must match ^R?A?C?I?$")
                }
            }
        case .settings:
            break
        case .approval(let body):
            guard Identifier.isRecordID(body.target) else { throw fail("target", "must be a record ID") }
            guard Identifier.isSHA256(body.sha256) else { throw fail("sha256", "must be 64 lowercase hex digits") }
        }
    }
}
