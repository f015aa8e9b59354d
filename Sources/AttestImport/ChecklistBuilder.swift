public import AttestCore
public import Foundation

/// Turns a parsed matrix into the checklist's item table, keeping IDs stable across re-imports.
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

    /// The new item table and what changed against `previous` (nil for a first import).
    public func build(from matrix: ParsedMatrix, previous: Checklist?, at now: Date) -> (items: [ChecklistItem], nextNumber: Int, changes: Changes) {
        var changes = Changes()
        var existing: [String: ChecklistItem] = [:]
        for item in previous?.items ?? [] { existing[item.key] = item }
        var nextNumber = previous?.nextNumber ?? 1
        var items: [ChecklistItem] = []
        var matched = Set<String>()

        for row in matrix.rows {
            let interval = Interval.implied(byTask: row.task)
            if var item = existing[row.key] {
                matched.insert(row.key)
                let wasRetired = item.retired
                let lettersChanged = item.customerLetters != row.customerLetters || item.kind != row.kind
                let otherChange = item.responsibility != row.responsibility || item.task != row.task || item.notes != row.notes
                    || item.section != row.section
                item.task = row.task
                item.section = row.section
                item.responsibility = row.responsibility
                item.customerLetters = row.customerLetters
                item.kind = row.kind
                item.notes = row.notes
                item.reviewInterval = interval
                item.sourceLine = row.line
                item.singleColumn = row.singleColumn ? true : nil
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
                    task: row.task, key: row.key, responsibility: row.responsibility, customerLetters: row.customerLetters,
                    kind: row.kind, reviewInterval: interval, notes: row.notes, lettersChangedAt: now, sourceLine: row.line,
                    singleColumn: row.singleColumn ? true : nil)
                changes.added.append(item.id)
                items.append(item)
            }
        }
        for item in (previous?.items ?? []).sorted(by: { $0.number < $1.number }) where !matched.contains(item.key) {
            var retired = item
            if !retired.retired {
                retired.retired = true
                changes.removed.append(item.id)
            }
            items.append(retired)
        }
        return (items, nextNumber, changes)
    }
}
