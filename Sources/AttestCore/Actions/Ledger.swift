public import Foundation

/// A checklist with its records, loaded once: what every reading command starts from.
public struct Ledger: Sendable {
    public let store: ChecklistStore
    public let checklist: Checklist
    /// Every record, or none when the ledger was loaded without them (`hasRecords` is false).
    public let records: [StoredRecord]
    public let hasRecords: Bool

    public init(store: ChecklistStore, checklist: Checklist, records: [StoredRecord], hasRecords: Bool = true) {
        self.store = store
        self.checklist = checklist
        self.records = records
        self.hasRecords = hasRecords
    }

    /// Reads the checklist file and, unless `readRecords` is false, every record. Commands that only add a
    /// record about an item (tick, waive, na) need the item table alone; reading 10^5 records would cost
    /// them seconds.
    public static func load(_ store: ChecklistStore, readRecords: Bool = true) throws -> Ledger {
        guard store.exists else {
            throw StoreError.unknownChecklist(id: store.id, known: store.workspace.checklistIDs())
        }
        let checklist = try store.loadChecklist()
        return Ledger(store: store, checklist: checklist, records: readRecords ? try store.loadRecords() : [], hasRecords: readRecords)
    }

    /// Evaluates every item at `asOf`. Attachments are checked through the stat cache, or re-hashed
    /// when `rehash` is set (what `verify` does).
    public func evaluate(asOf: Date, rehash: Bool = false) -> ChecklistState {
        let evaluator = Evaluator(checklist: checklist, records: records)
        let hashes = evaluator.attachmentHashes(asOf: asOf)
        let checks = rehash ? store.attachments.verify(hashes) : store.attachments.check(hashes)
        return evaluator.evaluate(asOf: asOf, attachments: checks)
    }

    /// The records in the order they were recorded (last wins), optionally for one item.
    public func timeline(item: String? = nil, asOf: Date? = nil) -> [Record] {
        records.map(\.record)
            .filter { record in
                (item == nil || record.item == item || isAboutItem(record, item!)) && (asOf == nil || record.recordedAt <= asOf!)
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
