public import Foundation

/// Derives an import record's item table again from its stored source: the reader, with the options the
/// record keeps, plus the tables of the imports it follows. AttestImport implements it.
public protocol ItemTableDeriving: Sendable {
    /// The version of the reader this attest has; import records keep the one that derived their table.
    var readerVersion: Int { get }
    func derive(_ body: ImportRecord, recordedAt: Date, checklistID: String, source: Data, predecessors: [ImportRecord]) throws -> [ChecklistItem]
}

/// Whether an import record's item table is the one its stored source gives. A forged table (one that
/// makes every item inherited, say) is an integrity failure naming the record file.
public struct TableCheck: Sendable {
    /// Integrity failures (exit 3).
    public var problems: [String] = []
    /// Differences that an older reader explains; re-importing the same source resolves them.
    public var warnings: [String] = []
    /// The table the sources give for the import in effect, when it differs from the record's: evaluation uses it.
    public var derived: [ChecklistItem]?

    /// Checks the import in effect and every import it follows: each table must be the one its stored source
    /// gives on top of the tables it follows (so that a forged import cannot be laundered by a later, honest
    /// one). `derived` is the table the sources give for the import in effect, through the whole chain.
    public static func run(_ inEffect: StoredRecord, chain: ImportChain, store: ChecklistStore, deriver: any ItemTableDeriving) -> TableCheck {
        var check = TableCheck()
        var cascaded: [String: ImportRecord] = [:]
        for stored in chain.ancestry(of: inEffect) {
            guard case .import(let body) = stored.record.body else { continue }
            cascaded[stored.record.id] = body
            let sourceShown = "\(store.displayPath)/\(body.source.file)"
            let source: Data
            do {
                source = try store.loadSource(body.source)
            } catch {
                check.problems.append("\(sourceShown): the source of \(stored.path) cannot be read: "
                    + ((error as? StoreError)?.errorDescription ?? "\(error)"))
                continue
            }
            let actual = FileHasher.sha256(of: source)
            guard actual == body.source.sha256 else {
                check.problems.append("\(sourceShown): source altered (now sha256 \(actual), recorded \(body.source.sha256) by \(stored.path))")
                continue
            }
            var recorded: [ImportRecord] = []
            var derivedPredecessors: [ImportRecord] = []
            for id in chain.predecessorIDs(of: stored.record.id) {
                guard let previous = chain.record(id), case .import(let previousBody) = previous.record.body else {
                    check.problems.append("\(stored.path): follows import \(id), which is not in the workspace; restore it from git")
                    continue
                }
                recorded.append(previousBody)
                derivedPredecessors.append(cascaded[id] ?? previousBody)
            }
            let local: [ChecklistItem]
            do {
                local = try deriver.derive(body, recordedAt: stored.record.recordedAt, checklistID: store.id, source: source, predecessors: recorded)
                if derivedPredecessors != recorded {
                    var derived = body
                    derived.items = try deriver.derive(body, recordedAt: stored.record.recordedAt, checklistID: store.id, source: source,
                                                       predecessors: derivedPredecessors)
                    cascaded[stored.record.id] = derived
                } else {
                    var derived = body
                    derived.items = local
                    cascaded[stored.record.id] = derived
                }
            } catch {
                check.problems.append("\(stored.path): its source \(sourceShown) no longer gives an item table: "
                    + ((error as? any LocalizedError)?.errorDescription ?? "\(error)"))
                continue
            }
            judge(stored, body, derived: local, deriver: deriver, store: store, into: &check)
        }
        if case .import(let body) = inEffect.record.body, let derived = cascaded[inEffect.record.id], derived.items != body.items {
            check.derived = derived.items
        }
        return check
    }

    /// One import's table against the one its source gives: by the same (or a newer) reader any difference is
    /// an integrity failure; by an older one only a lost obligation.
    private static func judge(_ stored: StoredRecord, _ body: ImportRecord, derived: [ChecklistItem], deriver: any ItemTableDeriving,
                              store: ChecklistStore, into check: inout TableCheck) {
        let differing = Self.differences(body.items, derived)
        if differing.isEmpty { return }
        let named = differing.prefix(12).joined(separator: ", ") + (differing.count > 12 ? " and \(differing.count - 12) more" : "")
        if let version = body.readerVersion, version >= deriver.readerVersion {
            let newer = version > deriver.readerVersion
                ? " (it claims reader version \(version), newer than this attest's \(deriver.readerVersion): upgrade attest if that is true)" : ""
            check.problems.append("\(stored.path): the item table is not the one its source gives (items \(named) differ)\(newer); "
                + "it was written by hand or by another program: remove it in a commit, or restore it from git")
            return
        }
        let recorded = Dictionary(body.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let lost = derived.filter { $0.isRequired && !(recorded[$0.id]?.isRequired ?? false) }.map(\.id)
        let reader = body.readerVersion.map { "reader version \($0)" } ?? "an attest without reader versions"
        if !lost.isEmpty {
            check.problems.append("\(stored.path): its source gives obligations that its item table lacks or holds as not required: "
                + lost.joined(separator: ", ") + " (recorded by \(reader); this attest reads with version \(deriver.readerVersion))")
        } else {
            check.warnings.append("\(stored.path): this attest reads the same source differently from \(reader) (items \(named) differ); "
                + "evaluation uses the table the source gives; importing the same source again (attest import SOURCE --checklist \(store.id)) "
                + "records a new import and resolves it")
        }
    }

    /// The IDs of items that differ between two tables, in number order.
    static func differences(_ recorded: [ChecklistItem], _ derived: [ChecklistItem]) -> [String] {
        let left = Dictionary(recorded.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let right = Dictionary(derived.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ids = Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }
        return ids.sorted { (left[$0] ?? right[$0])!.number < (left[$1] ?? right[$1])!.number }
    }
}
