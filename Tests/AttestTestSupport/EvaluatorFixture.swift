public import AttestCore
public import Foundation

/// A checklist and its records built in memory, with dates written out, for evaluation tests.
public struct EvaluatorFixture {
    public var items: [ChecklistItem]
    public var records: [StoredRecord] = []
    private var counter = 0

    public static func date(_ text: String) -> Date { Timestamp.parse(text)!.start }

    public static func item(_ id: String, _ letters: String, task: String? = nil, interval: Interval? = nil,
                     changedAt: String = "2026-01-01T00:00:00Z") -> ChecklistItem {
        ChecklistItem(
            id: id, number: Int(id.split(separator: "-").last!)!, section: "", task: task ?? "Task \(id)",
            key: "/task\(id.lowercased())", responsibility: ["Provider": "A", "Customer": letters], customerLetters: letters,
            kind: ItemKind(customerLetters: letters), reviewInterval: interval, notes: [],
            lettersChangedAt: date(changedAt), sourceLine: nil)
    }

    public init(items: [ChecklistItem], importedAt: String = "2026-01-01T00:00:00Z") {
        self.items = items
        importTable(items, at: importedAt)
    }

    public static let source = SourceMatrix(file: "source/sha256/" + String(repeating: "0", count: 64), importedFrom: "m.md",
                                            sha256: String(repeating: "0", count: 64), version: nil)

    /// Adds an import record whose item table is `items`: records are the only truth, as in the store.
    public mutating func importTable(_ items: [ChecklistItem], at time: String) {
        self.items = items
        let body = ImportRecord(source: Self.source, customerParty: "Customer", provider: "Provider", parties: ["Provider", "Customer"],
                                prefix: "T", added: [], removed: [], changed: [], items: items, title: "Demo")
        add(.import(body), item: nil, at: time, by: "importer")
    }

    @discardableResult
    public mutating func add(_ body: Record.Body, item: String?, at time: String, by: String = "alice@example.com") -> Record {
        counter += 1
        let record = Record(id: "\(body.type.idPrefix)-\(String(format: "%04d", counter))", checklist: "demo", item: item,
                            recordedAt: Self.date(time), by: by, body: body)
        let data = try! JSONCoding.encode(record)
        records.append(StoredRecord(record: record, path: "records/\(item ?? "checklist")/\(record.id).json", sha256: FileHasher.sha256(of: data)))
        return record
    }

    /// Gives the record added last a signature verdict, as reading its `.sig` would have.
    public mutating func sign(last signature: RecordSignature) {
        let last = records.removeLast()
        records.append(StoredRecord(record: last.record, path: last.path, sha256: last.sha256, signature: signature))
    }

    @discardableResult
    public mutating func tick(_ item: String, at time: String, effective: String? = nil, validUntil: String? = nil,
                       attachments: [Attachment] = [], by: String = "alice@example.com") -> Record {
        let evidence = Evidence(note: "done", links: [], attachments: attachments, references: [],
                                effective: Self.date(effective ?? time), validUntil: validUntil.map { Timestamp.parse($0)!.endExclusive })
        return add(.evidence(evidence), item: item, at: time, by: by)
    }

    public func state(asOf: String, attachments: [String: AttachmentStore.Check] = [:]) -> ChecklistState {
        try! Evaluator(checklistID: "demo", records: records).evaluate(asOf: Timestamp.parse(asOf)!.asOf, attachments: attachments)
    }

    public func status(_ item: String, asOf: String, attachments: [String: AttachmentStore.Check] = [:]) -> ItemStatus? {
        state(asOf: asOf, attachments: attachments).items.first { $0.item.id == item }?.status
    }
}
