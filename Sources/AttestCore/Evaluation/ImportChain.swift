public import Foundation

/// A checklist's import records and how they follow one another. The one in effect at a time is the import
/// recorded at or before it that no other such import follows; two are a fork (imports in two clones).
public struct ImportChain: Sendable {
    /// The import records, in recorded order.
    public let imports: [StoredRecord]
    /// Each import's predecessors by ID: `follows`, or for records written before schema 1.1 the import
    /// recorded before it.
    private let predecessorIDs: [String: [String]]
    private let byID: [String: StoredRecord]
    /// Imports that may not be in effect (where signatures are required, the unsigned ones).
    private let excluded: Set<String>

    public init(records: some Sequence<StoredRecord>, excluding excluded: Set<String> = []) {
        self.excluded = excluded
        imports = records.filter { $0.record.type == .import }.sorted { Record.isOrderedBefore($0.record, $1.record) }
        var predecessors: [String: [String]] = [:]
        var previous: String?
        for stored in imports {
            if case .import(let body) = stored.record.body, let follows = body.follows {
                predecessors[stored.record.id] = follows
            } else {
                predecessors[stored.record.id] = previous.map { [$0] } ?? []
            }
            previous = stored.record.id
        }
        predecessorIDs = predecessors
        byID = Dictionary(imports.map { ($0.record.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The imports at `asOf` that no import at `asOf` follows, directly or through others (an import dated
    /// later, as from a clock running ahead, still passes on what it follows): one, or several when the
    /// table forked.
    public func heads(asOf: Date) -> [StoredRecord] {
        let visible = imports.filter { $0.record.recordedAt <= asOf && !excluded.contains($0.record.id) }
        var followed = Set<String>()
        for stored in visible { followed.formUnion(ancestorIDs(of: stored.record.id)) }
        return visible.filter { !followed.contains($0.record.id) }
    }

    /// The import record in effect at `asOf`, nil before the first import; a fork is an input error that
    /// names both records, and so are imports that follow one another in a circle.
    public func inEffect(asOf: Date) throws -> StoredRecord? {
        let heads = heads(asOf: asOf)
        if heads.count > 1 { throw StoreError.importFork(paths: heads.map(\.path)) }
        if heads.isEmpty, let first = imports.first(where: { $0.record.recordedAt <= asOf && !excluded.contains($0.record.id) }) {
            throw StoreError.malformed(path: first.path, line: nil, column: nil,
                                       detail: "\"follows\" of the import records forms a circle, so none is in effect; remove the forged ones")
        }
        return heads.first
    }

    /// Every import an import follows, directly or through others (never itself, even in a circle).
    public func ancestorIDs(of id: String) -> Set<String> {
        var seen = Set<String>()
        var pending = predecessorIDs[id] ?? []
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            pending += predecessorIDs[next] ?? []
        }
        return seen
    }

    /// An import and every import it follows that is in the workspace, oldest first: the chain whose tables
    /// `verify` derives again.
    public func ancestry(of stored: StoredRecord) -> [StoredRecord] {
        let ids = ancestorIDs(of: stored.record.id).union([stored.record.id])
        return imports.filter { ids.contains($0.record.id) }
    }

    /// The IDs an import follows.
    public func predecessorIDs(of id: String) -> [String] { predecessorIDs[id] ?? [] }

    public func record(_ id: String) -> StoredRecord? { byID[id] }

    /// When each item first appeared: the earliest import recorded at or before `asOf` whose table holds it.
    /// Evidence from before an item's letters changed stops counting, but an item's first appearance is no change.
    public func firstSeen(asOf: Date) -> [String: Date] {
        var result: [String: Date] = [:]
        for stored in imports where stored.record.recordedAt <= asOf {
            guard case .import(let body) = stored.record.body else { continue }
            for item in body.items where result[item.id] == nil { result[item.id] = stored.record.recordedAt }
        }
        return result
    }
}
