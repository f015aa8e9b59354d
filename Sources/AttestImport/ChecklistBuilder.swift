public import AttestCore
public import Foundation

/// Turns a parsed matrix into the checklist's item table, keeping IDs stable across re-imports: rows match
/// the previous table's items by section and normalized task (or, for the same source bytes, by position),
/// new rows get the next number, and numbers are never reused.
public struct ChecklistBuilder: Sendable {
    /// What a (re-)import changed, by item ID.
    public struct Changes: Hashable, Sendable {
        public var added: [String] = []
        public var removed: [String] = []
        /// Items whose letters, task wording or notes changed.
        public var changed: [String] = []
        /// The subset of `changed` whose customer letters changed: their evidence must be re-confirmed.
        public var lettersChanged: [String] = []

        public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
    }

    public var checklistID: String
    public var prefix: String

    public init(checklistID: String, prefix: String) {
        self.checklistID = checklistID
        self.prefix = prefix
    }

    /// The new item table and what changed against `previous`: the tables of the imports this one follows
    /// (none for a first import, two when it resolves a fork), oldest first. `sameSource` says the matrix's
    /// bytes are those of the import in effect: rows then match items by position first, so that a reader
    /// upgrade neither retires nor renumbers anything.
    public func build(from matrix: ParsedMatrix, previous: [[ChecklistItem]], sameSource: Bool = false, at now: Date)
        -> (items: [ChecklistItem], changes: Changes)
    {
        let base = Self.merge(previous)
        var changes = Changes()
        var byKey: [String: Int] = [:]
        for (index, item) in base.enumerated() where byKey[item.key] == nil || base[byKey[item.key]!].retired { byKey[item.key] = index }
        var nextNumber = (base.map(\.number).max() ?? 0) + 1
        var items: [ChecklistItem] = []
        var matched = Set<Int>()

        let live = base.indices.filter { !base[$0].retired }
        let positional = sameSource && live.count == matrix.rows.count
        for (position, row) in matrix.rows.enumerated() {
            let interval = Interval.implied(byTask: row.task)
            let key = row.key
            let index = positional ? live[position] : byKey[key].flatMap { matched.contains($0) ? nil : $0 }
            if let index {
                matched.insert(index)
                var item = base[index]
                let wasRetired = item.retired
                let lettersChanged = item.customerLetters != row.customerLetters || item.kind != row.kind
                let otherChange = item.responsibility != row.responsibility || item.task != row.task || item.notes != row.notes
                    || item.section != row.section || item.inherits != row.inherits
                item.task = row.task
                item.section = row.section
                item.key = key
                item.responsibility = row.responsibility
                item.customerLetters = row.customerLetters
                item.kind = row.kind
                item.notes = row.notes
                item.reviewInterval = interval
                item.sourceLine = row.line
                item.singleColumn = row.singleColumn ? true : nil
                item.inherits = row.inherits
                item.retired = false
                if wasRetired {
                    item.lettersChangedAt = now
                    changes.added.append(item.id)
                } else if lettersChanged {
                    item.lettersChangedAt = now
                    changes.changed.append(item.id)
                    changes.lettersChanged.append(item.id)
                } else if otherChange {
                    changes.changed.append(item.id)
                }
                items.append(item)
            } else {
                let number = nextNumber
                nextNumber += 1
                let item = ChecklistItem(
                    id: Checklist.itemID(prefix: prefix, number: number), number: number, section: row.section,
                    task: row.task, key: key, responsibility: row.responsibility, customerLetters: row.customerLetters,
                    kind: row.kind, reviewInterval: interval, notes: row.notes, lettersChangedAt: now, sourceLine: row.line,
                    singleColumn: row.singleColumn ? true : nil, inherits: row.inherits)
                changes.added.append(item.id)
                items.append(item)
            }
        }
        for index in base.indices.sorted(by: { base[$0].number < base[$1].number }) where !matched.contains(index) {
            var retired = base[index]
            if !retired.retired {
                retired.retired = true
                changes.removed.append(retired.id)
            }
            items.append(retired)
        }
        return (items, changes)
    }

    /// One table from the tables of the imports being followed: every item of each, by ID. When two forks
    /// gave one number to different rows, the later fork's row keeps its place under a new number.
    static func merge(_ tables: [[ChecklistItem]]) -> [ChecklistItem] {
        guard tables.count > 1 else { return tables.first ?? [] }
        var merged: [ChecklistItem] = []
        var indexByID: [String: Int] = [:]
        var conflicting: [ChecklistItem] = []
        for table in tables {
            for item in table {
                if let index = indexByID[item.id] {
                    if merged[index].key == item.key {
                        if merged[index].retired && !item.retired { merged[index] = item }
                    } else {
                        conflicting.append(item)
                    }
                } else {
                    indexByID[item.id] = merged.count
                    merged.append(item)
                }
            }
        }
        var next = (tables.joined().map(\.number).max() ?? 0) + 1
        for var item in conflicting {
            let prefix = item.id.split(separator: "-").dropLast().joined(separator: "-")
            item.number = next
            item.id = Checklist.itemID(prefix: prefix, number: next)
            next += 1
            merged.append(item)
        }
        return merged
    }
}
