public import Foundation

/// The checks that make a checklist's answers trustworthy, and what they found. `verify` runs all of them;
/// `gate` and `report` the ones that decide whether their verdict can be believed (attachment and source
/// hashes, the item table against its source, the working tree against HEAD).
public struct LedgerAudit: Sendable, Encodable {
    public enum Depth: Sendable { case gate, verify }

    public var checklist: String
    public var asOf: Date
    /// Integrity failures (exit 3).
    public var problems: [String] = []
    /// Files that could not be read, bad revisions (exit 2 when there is no integrity failure).
    public var inputErrors: [String] = []
    public var warnings: [String] = []
    public var notes: [String] = []
    /// `--ref` references, which cannot be checked locally.
    public var unchecked: [String] = []
    /// Records without a signature (`verify` lists them).
    public var unsigned: [String] = []
    /// SHA-256 of `allowed_signers`, which decided every signature (nil: there is none).
    public var allowedSignersSHA256: String?
    public var recordCount = 0
    public var attachmentCount = 0
    public var sourceCount = 0
    /// Whether the git checks ran (false outside a git repository: said, never silent).
    public var gitChecked = false
    public var digest: String?
    public var digestMatches: Bool?
    /// The item table the source gives, where the import record's differs: evaluation uses it.
    public var derivedTable: [ChecklistItem]?

    public init(checklist: String, asOf: Date) {
        self.checklist = checklist
        self.asOf = asOf
    }

    enum CodingKeys: String, CodingKey {
        case checklist, asOf, ok, problems, inputErrors, warnings, notes, unchecked = "notCheckedLocally", unsigned, allowedSignersSHA256,
             recordCount = "records",
             attachmentCount = "attachments", sourceCount = "sources", gitChecked, digest, digestMatches
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(checklist, forKey: .checklist)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(problems.isEmpty && inputErrors.isEmpty, forKey: .ok)
        try container.encode(problems, forKey: .problems)
        try container.encode(inputErrors, forKey: .inputErrors)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(notes, forKey: .notes)
        try container.encode(unchecked, forKey: .unchecked)
        try container.encode(unsigned, forKey: .unsigned)
        try container.encodeIfPresent(allowedSignersSHA256, forKey: .allowedSignersSHA256)
        try container.encode(recordCount, forKey: .recordCount)
        try container.encode(attachmentCount, forKey: .attachmentCount)
        try container.encode(sourceCount, forKey: .sourceCount)
        try container.encode(gitChecked, forKey: .gitChecked)
        try container.encodeIfPresent(digest, forKey: .digest)
        try container.encodeIfPresent(digestMatches, forKey: .digestMatches)
    }

    /// The git checks of a workspace, for the checklist named or (nil) every checklist, including ones that
    /// can no longer be read: the working tree against HEAD, and with `since` the history from that revision.
    /// Outside git, a note says that they were skipped.
    public static func git(_ workspace: Workspace, checklist: String?, since: String? = nil) -> (audit: GitAudit, checked: Bool) {
        let lookup = workspace.git
        guard let git = lookup.repository else {
            var skipped = GitAudit()
            if let refusal = lookup.refusal {
                // A repository git will not read is not "no repository": the trail's history cannot be checked.
                skipped.inputErrors.append("error: \(refusal)")
                return (skipped, false)
            }
            skipped.notes.append("not a git repository (or git is missing): committed records, sources and attachments were not compared with history")
            if let since, let refusal = sinceRefusal(workspace, since: since) { skipped.inputErrors.append(refusal) }
            return (skipped, false)
        }
        var audit = GitAudit.workingTree(git, checklist: checklist)
        if let since {
            let history = GitAudit.history(git, since: since, checklist: checklist)
            audit.problems += history.problems
            audit.inputErrors += history.inputErrors
            audit.warnings += history.warnings
            audit.notes += history.notes
        }
        return (audit, true)
    }

    /// Why `--since REVISION` cannot be checked in `workspace` (no repository, or no such commit there), with
    /// what to do; nil when it can.
    public static func sinceRefusal(_ workspace: Workspace, since: String) -> String? {
        let lookup = workspace.git
        if let refusal = lookup.refusal { return "error: \(refusal)" }
        guard let git = lookup.repository else {
            return "error: --since \(since) needs a git repository, and \(workspace.root.path) is not in one: "
                + "run verify without --since, or in a clone of the workspace's repository"
        }
        return GitAudit.unknownRevision(git, since)
    }

    /// Adds a workspace's git findings to this audit.
    public mutating func add(_ git: (audit: GitAudit, checked: Bool)) {
        gitChecked = git.checked
        problems += git.audit.problems
        inputErrors += git.audit.inputErrors
        warnings += git.audit.warnings
        notes += git.audit.notes
    }

    /// Runs the checks of `depth` on a ledger loaded with all its records (non-strict for `verify`, so that
    /// every unreadable file is reported).
    public static func run(
        _ ledger: Ledger, asOf: Date, depth: Depth, deriver: any ItemTableDeriving, expectedDigest: String? = nil,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> LedgerAudit {
        var audit = LedgerAudit(checklist: ledger.store.id, asOf: asOf)
        let store = ledger.store
        audit.recordCount = ledger.records.count
        audit.inputErrors = ledger.inputErrors.map { $0.errorDescription ?? "\($0)" }.sorted()

        // Attachments: every one for verify (re-hashed); gate and report see them through evaluation.
        if depth == .verify {
            var uses: [String: [(item: String, record: String, name: String)]] = [:]
            for stored in ledger.records {
                guard case .evidence(let evidence) = stored.record.body else { continue }
                for attachment in evidence.attachments {
                    uses[attachment.sha256, default: []].append((stored.record.item ?? "", stored.record.id, attachment.name))
                }
                for reference in evidence.references {
                    audit.unchecked.append("\(stored.record.item ?? "") \(stored.record.id): \(reference.url) (sha256 \(reference.sha256))")
                }
            }
            audit.unchecked.sort()
            let total = uses.count
            var perFile: (@Sendable (Int) -> Void)?
            if let progress { perFile = { done in progress(done, total) } }
            let checks = store.attachments.verify(Set(uses.keys), progress: perFile)
            audit.attachmentCount = checks.count
            for (hash, check) in checks.sorted(by: { $0.key < $1.key }) where check != .intact {
                for use in uses[hash] ?? [] {
                    let line = "\(store.attachments.relativePath(for: hash)): attachment \(use.name) of \(use.item) \(use.record) \(check.problem)"
                    // A link or device where a stored file belongs is an input error (exit 2), not a changed file.
                    if case .notRegularFile = check { audit.inputErrors.append(line) } else { audit.problems.append(line) }
                }
            }
        }

        // Signatures: one that is present but does not count is an integrity failure, in either mode.
        audit.allowedSignersSHA256 = ledger.signatures.allowedSignersSHA256
        for stored in ledger.records {
            switch stored.signature {
            case .invalid(let reason): audit.problems.append("\(RecordSignature.file(for: stored.path)): \(reason)")
            case .unsigned where depth == .verify: audit.unsigned.append(stored.path)
            default: break
            }
        }
        audit.unsigned.sort()
        if depth == .verify {
            audit.notes += ledger.orphanSignatures.map { "\($0): a signature without its record (ignored)" }
        }

        // Sources: every stored one re-hashed; the table in effect derived again from its source.
        let chain = ledger.imports
        var checkedSources = Set<String>()
        for stored in chain.imports where depth == .verify || Evaluator.isVisible(stored.record, asOf: asOf) {
            guard case .import(let body) = stored.record.body, checkedSources.insert(body.source.file).inserted else { continue }
            do {
                let data = try store.loadSource(body.source)
                let actual = FileHasher.sha256(of: data)
                if actual != body.source.sha256 {
                    audit.problems.append("\(store.displayPath)/\(body.source.file): source altered (now sha256 \(actual), recorded \(body.source.sha256) by \(stored.path))")
                }
            } catch {
                audit.problems.append("\(store.displayPath)/\(body.source.file): source of \(stored.path) cannot be read: "
                    + ((error as? StoreError)?.errorDescription ?? "\(error)"))
            }
        }
        audit.sourceCount = checkedSources.count
        do {
            if let inEffect = try chain.inEffect(asOf: asOf) {
                let table = TableCheck.run(inEffect, chain: chain, store: store, deriver: deriver)
                // A source problem is reported once, by the source check above.
                let reported = Set(audit.problems.map { String($0.prefix { $0 != ":" }) })
                audit.problems += table.problems.filter { !reported.contains(String($0.prefix { $0 != ":" })) }
                audit.warnings += table.warnings
                audit.derivedTable = table.derived
            }
        } catch {
            audit.inputErrors.append((error as? StoreError)?.errorDescription ?? "\(error)")
        }

        if depth == .verify, let git = store.workspace.git.repository {
            audit.notes += GitAudit.lateRecords(git, records: ledger.records)
        }

        if let expectedDigest {
            let visible = ledger.records.filter { Evaluator.isVisible($0.record, asOf: asOf) }
            let digest = StateDigest.matching(expectedDigest, checklistID: store.id, records: visible)
            audit.digest = digest
            audit.digestMatches = digest == expectedDigest
            if digest != expectedDigest {
                audit.problems.append("state digest as of \(Timestamp.format(asOf)) is \(digest), not \(expectedDigest): records were added, changed or removed since the report (git log --stat -- Checklists shows which)")
            }
        }
        return audit
    }
}
