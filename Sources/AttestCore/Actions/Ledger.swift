public import Foundation

/// A checklist's records, loaded once: what every command starts from. Records are the only truth: the
/// checklist (item table and settings) is derived from the import and settings records in effect.
public struct Ledger: Sendable {
    public let store: ChecklistStore
    /// The records read (every record, or only `records/checklist/` for commands that just add one).
    public let records: [StoredRecord]
    public let hasRecords: Bool
    /// Files that could not be read as records (only when loaded with `strict: false`, as `verify` does).
    public let inputErrors: [StoreError]
    public let imports: ImportChain
    /// The checklist as its records say it is now.
    public let checklist: Checklist
    /// `allowed_signers` and what reading judged with it.
    public let signatures: SignatureContext
    /// `.sig` files without their record: ignored, listed by `verify`.
    public let orphanSignatures: [String]

    /// Reads the records, all of them or (`readRecords: false`) only the import and settings records: commands
    /// that only add a record about an item (tick, waive, na) need the item table alone, and one bad evidence
    /// record elsewhere must not block them. With `strict` (the default) an unreadable record is an error;
    /// without, it is collected in `inputErrors` and the rest is read.
    public static func load(_ store: ChecklistStore, readRecords: Bool = true, strict: Bool = true, freshSignatures: Bool = false) throws -> Ledger {
        guard store.exists else {
            if SafeFile.kind(of: store.directory.path) == .directory {
                throw StoreError.malformed(path: "\(store.displayPath)/records/checklist", line: nil, column: nil,
                                           detail: "the checklist folder has no import records, so it has no items; restore them from git, or remove the folder")
            }
            throw StoreError.unknownChecklist(id: store.id, known: store.workspace.checklistIDs())
        }
        if let kind = SafeFile.kind(of: store.workspace.cacheDirectory.path), kind != .directory {
            throw StoreError.notRegularFile(path: ".attest", kind: "\(kind.rawValue) where attest's cache folder belongs; remove it")
        }
        let signatures = try SignatureContext.load(store.workspace, checklist: store.id, cached: !freshSignatures)
        let set = store.loadRecords(readRecords ? .all : .checklistRecords, signatures: signatures, cached: !freshSignatures)
        if strict, let error = set.errors.sorted(by: { $0.localizedDescription < $1.localizedDescription }).first { throw error }
        let (settings, unsigned) = Evaluator.settingsAndUnsigned(set.records)
        let imports = ImportChain(records: set.records, excluding: unsigned)
        // The newest import, whatever its date: a clock that ran behind must not hide the checklist.
        let head = try imports.inEffect(asOf: .distantFuture)
        guard let head, case .import(let body) = head.record.body else {
            throw StoreError.malformed(path: "\(store.displayPath)/records/checklist", line: nil, column: nil,
                                       detail: "no import record could be read, so the checklist has no items; restore its import record from git")
        }
        return Ledger(store: store, records: set.records, hasRecords: readRecords, inputErrors: set.errors, imports: imports,
                      checklist: Checklist(id: store.id, importedAt: head.record.recordedAt, body: body, settings: settings),
                      signatures: signatures, orphanSignatures: set.orphanSignatures)
    }

    /// Evaluates every item at `asOf`. Attachments are checked through the stat cache, or re-hashed when
    /// `rehash` is set (what `verify` does). `table` replaces the import's item table (a re-derived one).
    public func evaluate(asOf: Date, rehash: Bool = false, table: [ChecklistItem]? = nil) throws -> ChecklistState {
        let attachments = store.attachments
        var state = try Evaluator(checklistID: store.id, records: records).evaluate(asOf: asOf, table: table) { hashes in
            rehash ? attachments.verify(hashes) : attachments.check(hashes)
        }
        guard state.importRecord != nil else {
            let first = imports.imports.first.map { " (first imported \(Timestamp.format($0.record.recordedAt)))" } ?? ""
            throw StoreError.invalidInput("checklist \(store.id) had no item table as of \(Timestamp.format(asOf))\(first); give a later --as-of")
        }
        state.allowedSignersSHA256 = signatures.allowedSignersSHA256
        return state
    }

    /// The records in the order they were recorded (last wins), optionally for one item.
    public func timeline(item: String? = nil, asOf: Date? = nil) -> [Record] {
        records.map(\.record)
            .filter { record in
                (item == nil || record.item == item || isAboutItem(record, item!))
                    && (asOf == nil || Evaluator.isVisible(record, asOf: asOf!))
            }
            .sorted(by: Record.isOrderedBefore)
    }

    private func isAboutItem(_ record: Record, _ item: String) -> Bool {
        guard case .import(let body) = record.body else { return false }
        return body.added.contains(item) || body.removed.contains(item) || body.changed.contains(item)
    }

    /// The revocation of a record, if it was revoked.
    public func revocation(of id: String) -> Record? {
        records.first {
            if case .revocation(let body) = $0.record.body { return body.target == id }
            return false
        }?.record
    }

    public func item(_ reference: String) throws -> ChecklistItem {
        try Resolver.item(reference, in: checklist.items)
    }
}
