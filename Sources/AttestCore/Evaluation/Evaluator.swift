public import Foundation

/// Evaluates a checklist's records at a point in time, exactly as the contract's "Status of an item" says.
/// Records are the only truth: the item table is the one of the import record in effect at that time, the
/// settings those of the settings record in effect (before the first, the defaults).
public struct Evaluator: Sendable {
    public var checklistID: String
    public var records: [StoredRecord]

    public init(checklistID: String, records: [StoredRecord]) {
        self.checklistID = checklistID
        self.records = records
    }

    /// The one rule for what a time sees: records recorded at or before it.
    public static func isVisible(_ record: Record, asOf: Date) -> Bool { record.recordedAt <= asOf }

    /// The attachment hashes that unrevoked evidence recorded at or before `asOf` relies on.
    public func attachmentHashes(asOf: Date) -> Set<String> {
        var revoked = Set<String>()
        for index in records.indices where Self.isVisible(records[index].record, asOf: asOf) {
            if case .revocation(let body) = records[index].record.body { revoked.insert(body.target) }
        }
        var hashes = Set<String>()
        for index in records.indices where Self.isVisible(records[index].record, asOf: asOf) && !revoked.contains(records[index].record.id) {
            if case .evidence(let evidence) = records[index].record.body {
                for attachment in evidence.attachments { hashes.insert(attachment.sha256) }
            }
        }
        return hashes
    }

    /// Evaluates every item. `attachments` holds the check of each hash from `attachmentHashes(asOf:)`;
    /// a hash missing from it counts as intact. `table` replaces the import's item table (when `verify`
    /// derived another from the source). Throws when the item table forked.
    public func evaluate(asOf: Date, attachments: [String: AttachmentStore.Check], table override: [ChecklistItem]? = nil) throws -> ChecklistState {
        try evaluate(asOf: asOf, table: override) { _ in attachments }
    }

    /// Evaluates every item, checking the attachments that evidence relies on (`attachmentHashes(asOf:)`)
    /// with `checkAttachments` (the stat cache, or re-hashing). The state digest and the attachment checks
    /// run on threads of their own while the records are grouped: they depend on the records alone.
    public func evaluate(asOf: Date, table override: [ChecklistItem]? = nil,
                         checkAttachments: @escaping @Sendable (Set<String>) -> [String: AttachmentStore.Check]) throws -> ChecklistState {
        let digest = Background { [records, checklistID] in
            StateDigest.current(checklistID: checklistID, records: records.lazy.filter { Self.isVisible($0.record, asOf: asOf) })
        }
        let checks = Background { [self] in checkAttachments(attachmentHashes(asOf: asOf)) }
        defer { _ = checks.value }  // also when the table forked: it may be writing the stat cache
        let visible = records.indices.filter { Self.isVisible(records[$0].record, asOf: asOf) }
        let (settings, unsigned) = Self.settingsAndUnsigned(visible.lazy.map { records[$0] })
        let chain = ImportChain(records: records, excluding: unsigned)  // all: a later import still passes on what it follows
        let importRecord = try chain.inEffect(asOf: asOf)?.record
        // Each item's records, as positions: the store lists them folder by folder, so a run of one item's
        // records costs one lookup. Each item puts its own in the order they were recorded, on every core:
        // one sort of all 10^5 records on one core took longer than everything else here.
        var byItem: [String: [Int]] = [:]
        var run: (item: String, positions: [Int])?
        // Records about other records (revocations, reviews, approvals) are few: put in order here, last wins.
        var about: [Int] = []
        var signatures: [String: RecordSignature] = [:]
        for index in visible {
            let stored = records[index]
            if stored.signature != .unsigned { signatures[stored.record.id] = stored.signature }
            guard let item = stored.record.item else { continue }
            if run?.item != item {
                if let run { byItem[run.item, default: []] += run.positions }
                run = (item, [])
            }
            run!.positions.append(index)
            switch stored.record.body {
            case .revocation, .review, .approval: about.append(index)
            default: break
            }
        }
        if let run { byItem[run.item, default: []] += run.positions }
        var revocations: [String: Record] = [:]
        var reviews: [String: [Record]] = [:]
        var approvals: [String: [StoredRecord]] = [:]
        for index in about.sorted(by: isOrderedBefore) where !unsigned.contains(records[index].record.id) {
            let stored = records[index]
            switch stored.record.body {
            case .revocation(let body): revocations[body.target] = stored.record
            case .review(let body): reviews[body.target, default: []].append(stored.record)
            case .approval(let body) where stored.signature.isValid: approvals[body.target, default: []].append(stored)
            default: break
            }
        }
        // A waiver or not-applicable mark counts, where signatures are required, once the person it names as
        // approver co-signed exactly its bytes (and is not its author).
        var approved = Set<String>()
        if settings.signaturesRequired {
            for index in visible {
                let stored = records[index]
                let approver: String
                switch stored.record.body {
                case .waiver(let body): approver = body.approvedBy
                case .notApplicable(let body): approver = body.approvedBy
                default: continue
                }
                if approvals[stored.record.id]?.contains(where: { approval in
                    guard case .approval(let body) = approval.record.body else { return false }
                    return body.sha256 == stored.sha256 && approval.record.by == approver && approver != stored.record.by
                }) == true {
                    approved.insert(stored.record.id)
                }
            }
        }

        var table: [ChecklistItem] = []
        if case .import(let body)? = importRecord?.body { table = override ?? body.items }
        let firstSeen = chain.firstSeen(asOf: asOf)
        let signing = Signing(unsigned: unsigned, approved: approved)
        let attachments = checks.value
        // Items are independent of each other: a run of them on each core, a few runs a core.
        let runs = Parallel.ranges(table.count, runs: ProcessInfo.processInfo.activeProcessorCount * 4)
        let states = Parallel.map(runs.count) { [table, byItem, revocations, reviews] run in
            table[runs[run]].map { item in
                let itemRecords = (byItem[item.id] ?? []).sorted(by: isOrderedBefore).map { records[$0].record }
                return evaluate(item, firstSeen: firstSeen[item.id], records: itemRecords, revocations: revocations, reviews: reviews,
                                signing: signing, settings: settings, asOf: asOf, attachments: attachments)
            }
        }.flatMap { $0 }
        return ChecklistState(
            checklist: checklistView(importRecord: importRecord, settings: settings, items: table), asOf: asOf, settings: settings,
            importRecord: importRecord, items: states, signatures: signatures,
            digest: digest.value, recordCount: visible.count)
    }

    /// Whether the record at position `first` was recorded before the one at `second` (`Record.isOrderedBefore`).
    private func isOrderedBefore(_ first: Int, _ second: Int) -> Bool {
        Record.isOrderedBefore(records[first].record, records[second].record)
    }

    /// The one rule for signatures. The settings in effect are those of the last settings record that counts;
    /// once signatures are required, a settings record counts only when validly signed (so an unsigned one
    /// cannot switch signing off). When they are required in the end, every record, whatever its date, counts
    /// only when validly signed. Returns the settings in effect after `records` (in any order: only the few
    /// settings records are sorted) and the IDs of the records that do not count.
    public static func settingsAndUnsigned(_ records: some Sequence<StoredRecord>) -> (settings: ChecklistSettings, unsigned: Set<String>) {
        var settings = ChecklistSettings()
        let settingsRecords = records.filter { $0.record.type == .settings }.sorted { Record.isOrderedBefore($0.record, $1.record) }
        for stored in settingsRecords {
            guard case .settings(let value) = stored.record.body else { continue }
            if settings.signaturesRequired && !stored.signature.isValid { continue }
            settings = value
        }
        guard settings.signaturesRequired else { return (settings, []) }
        var unsigned = Set<String>()
        for stored in records where !stored.signature.isValid { unsigned.insert(stored.record.id) }
        return (settings, unsigned)
    }

    /// Which records signatures keep from counting, and which waivers and marks their approver co-signed.
    struct Signing {
        var unsigned: Set<String>
        var approved: Set<String>
    }

    /// The checklist the import in effect gives; before the first import, the first import's header with no items.
    private func checklistView(importRecord: Record?, settings: ChecklistSettings, items: [ChecklistItem]) -> Checklist {
        let header = importRecord ?? records.map(\.record).filter { $0.type == .import }.min(by: Record.isOrderedBefore)
        guard let header, case .import(let body) = header.body else {
            return Checklist(id: checklistID, title: checklistID, customerParty: "", provider: nil, parties: [], prefix: "",
                             source: SourceMatrix(file: "", importedFrom: "", sha256: "", version: nil), importedAt: .distantPast,
                             settings: settings, items: items)
        }
        var checklist = Checklist(id: checklistID, importedAt: header.recordedAt, body: body, settings: settings)
        checklist.items = items
        return checklist
    }

    private func evaluate(
        _ item: ChecklistItem, firstSeen: Date?, records: [Record], revocations: [String: Record], reviews: [String: [Record]],
        signing: Signing, settings: ChecklistSettings, asOf: Date, attachments: [String: AttachmentStore.Check]
    ) -> ItemState {
        let interval = item.reviewInterval ?? settings.defaultReviewInterval
        // The item's first appearance is no change of its letters: only a later one makes evidence re-confirm.
        let lettersChanged: Date? = firstSeen.map { item.lettersChangedAt > $0 ? item.lettersChangedAt : nil } ?? item.lettersChangedAt
        var evidenceStates: [EvidenceState] = []
        var waiver: Record?
        var notApplicable: Record?
        var awaitingApproval: Record?
        for record in records {
            let counts = !signing.unsigned.contains(record.id)
            let approved = !settings.signaturesRequired || signing.approved.contains(record.id)
            switch record.body {
            case .evidence(let evidence):
                evidenceStates.append(assess(record, evidence, item: item, lettersChanged: lettersChanged, interval: interval, revocations: revocations,
                                             reviews: reviews, signed: counts, settings: settings, asOf: asOf, attachments: attachments))
            case .waiver where revocations[record.id] == nil && counts:
                if approved { waiver = record } else { awaitingApproval = record }  // recorded last wins
            case .notApplicable where revocations[record.id] == nil && counts:
                if approved { notApplicable = record } else { awaitingApproval = record }
            default:
                break
            }
        }

        var status: ItemStatus
        var expiresAt: Date?
        let valid = evidenceStates.filter { $0.standing == .valid }
        // Evidence that still speaks for the item: not withdrawn, not from before its letters changed.
        let current = evidenceStates.filter { $0.standing != .revoked && $0.standing != .superseded }
        if item.retired {
            status = .retired
        } else if evidenceStates.contains(where: { $0.standing == .broken }) {
            status = .broken
        } else if item.kind == .notApplicable || notApplicable != nil {
            status = .notApplicable
        } else if case .waiver(let body)? = waiver?.body, body.until > asOf {
            status = .waived
            expiresAt = body.until
        } else if !valid.isEmpty {
            status = .complete
            expiresAt = valid.contains { $0.validUntil == nil } ? nil : valid.compactMap(\.validUntil).max()
        } else if current.isEmpty && evidenceStates.contains(where: { $0.standing == .superseded }) {
            status = .reconfirm
        } else if !current.isEmpty && current.allSatisfy({ $0.standing == .expired }) {
            status = .expired
            expiresAt = current.compactMap(\.validUntil).max()
        } else {
            status = .pending
        }
        var state = ItemState(item: item, status: status, evidence: evidenceStates,
                              waiver: status == .waived ? waiver : nil,
                              notApplicable: status == .notApplicable ? notApplicable : nil,
                              records: records, expiresAt: expiresAt,
                              awaitingApproval: status.isSatisfied || status == .broken ? nil : awaitingApproval)
        if status == .pending || status == .expired, case .waiver(let body)? = waiver?.body, body.until <= asOf { state.lapsedWaiver = waiver }
        return state
    }

    private func assess(
        _ record: Record, _ evidence: Evidence, item: ChecklistItem, lettersChanged: Date?, interval: Interval?, revocations: [String: Record],
        reviews: [String: [Record]], signed: Bool, settings: ChecklistSettings, asOf: Date, attachments: [String: AttachmentStore.Check]
    ) -> EvidenceState {
        let validUntil = evidence.validUntil ?? interval?.added(to: evidence.effective)
        // The latest review by someone other than the submitter decides (a self-review written by another
        // program is ignored); recorded last wins.
        let review = reviews[record.id]?.last { $0.by.caseInsensitiveCompare(record.by) != .orderedSame }
        let damaged = evidence.attachments.compactMap { attachment -> (attachment: Attachment, check: AttachmentStore.Check)? in
            let check = attachments[attachment.sha256] ?? .intact
            return check == .intact ? nil : (attachment, check)
        }
        let standing: EvidenceState.Standing
        let reviewDecision: Review.Decision? = {
            guard case .review(let body)? = review?.body else { return nil }
            return body.decision
        }()
        // Only evidence that would count (unrevoked, effective, accepted where review is required) can be broken,
        // superseded or expired; the rest is listed with the reason it does not count.
        if let revocation = revocations[record.id], revocation.recordedAt <= asOf {
            standing = .revoked
        } else if evidence.effective > asOf {
            standing = .notYetEffective
        } else if !signed {
            standing = .unsigned
        } else if reviewDecision == .reject {
            standing = .rejected
        } else if settings.reviewRequired && reviewDecision != .accept {
            standing = .awaitingReview
        } else if !damaged.isEmpty {
            standing = .broken
        } else if let lettersChanged, record.recordedAt < lettersChanged {
            standing = .superseded
        } else if let validUntil, validUntil <= asOf {
            standing = .expired
        } else {
            standing = .valid
        }
        return EvidenceState(record: record, evidence: evidence, standing: standing, validUntil: validUntil,
                             revocation: revocations[record.id], review: review, damagedAttachments: damaged)
    }
}
