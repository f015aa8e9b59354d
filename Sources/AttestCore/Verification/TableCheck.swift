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
    /// The table the source gives, when it differs from the record's and could be derived: evaluation uses it.
    public var derived: [ChecklistItem]?

    public static func run(_ stored: StoredRecord, chain: ImportChain, store: ChecklistStore, deriver: any ItemTableDeriving) -> TableCheck {
        var check = TableCheck()
        guard case .import(let body) = stored.record.body else { return check }
        let sourceShown = "\(store.displayPath)/\(body.source.file)"
        let source: Data
        do {
            source = try store.loadSource(body.source)
        } catch {
            check.problems.append("\(sourceShown): the source of \(stored.path) cannot be read: "
                + ((error as? StoreError)?.errorDescription ?? "\(error)"))
            return check
        }
        let actual = FileHasher.sha256(of: source)
        guard actual == body.source.sha256 else {
            check.problems.append("\(sourceShown): source altered (now sha256 \(actual), recorded \(body.source.sha256) by \(stored.path))")
            return check
        }
        var predecessors: [ImportRecord] = []
        for id in chain.predecessorIDs(of: stored.record.id) {
            guard let previous = chain.record(id), case .import(let previousBody) = previous.record.body else {
                check.problems.append("\(stored.path): follows import \(id), which is not in the workspace; restore it from git")
                return check
            }
            predecessors.append(previousBody)
        }
        let derived: [ChecklistItem]
        do {
            derived = try deriver.derive(body, recordedAt: stored.record.recordedAt, checklistID: store.id, source: source, predecessors: predecessors)
        } catch {
            check.problems.append("\(stored.path): its source \(sourceShown) no longer gives an item table: "
                + ((error as? any LocalizedError)?.errorDescription ?? "\(error)"))
            return check
        }
        let differing = Self.differences(body.items, derived)
        if differing.isEmpty { return check }
        let named = differing.prefix(12).joined(separator: ", ") + (differing.count > 12 ? " and \(differing.count - 12) more" : "")
        if body.readerVersion == deriver.readerVersion {
            check.problems.append("\(stored.path): the item table is not the one its source gives (items \(named) differ); "
                + "it was written by hand or by another program: remove it in a commit, or restore it from git")
            check.derived = derived
            return check
        }
        // An older reader read the source differently: only a lost obligation is an integrity failure.
        let recorded = Dictionary(body.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let lost = derived.filter { $0.isRequired && !(recorded[$0.id]?.isRequired ?? false) }.map(\.id)
        let reader = body.readerVersion.map { "reader version \($0)" } ?? "an attest without reader versions"
        if !lost.isEmpty {
            check.problems.append("\(stored.path): its source gives obligations that its item table lacks or holds as not required: "
                + lost.joined(separator: ", ") + " (recorded by \(reader); this attest reads with version \(deriver.readerVersion))")
            check.derived = derived
        } else {
            check.warnings.append("\(stored.path): this attest reads the same source differently from \(reader) (items \(named) differ); "
                + "importing the same source again (attest import SOURCE --checklist \(store.id)) records a new import and resolves it")
        }
        return check
    }

    /// The IDs of items that differ between two tables, in number order.
    static func differences(_ recorded: [ChecklistItem], _ derived: [ChecklistItem]) -> [String] {
        let left = Dictionary(recorded.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let right = Dictionary(derived.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ids = Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }
        return ids.sorted { (left[$0] ?? right[$0])!.number < (left[$1] ?? right[$1])!.number }
    }
}
