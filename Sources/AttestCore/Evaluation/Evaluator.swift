public import Foundation

/// Evaluates a checklist's records at a point in time, exactly as the contract's "Status of an item" says.
public struct Evaluator: Sendable {
    public var checklist: Checklist
    public var records: [StoredRecord]

    public init(checklist: Checklist, records: [StoredRecord]) {
        self.checklist = checklist
        self.records = records
    }

    /// The attachment hashes that unrevoked evidence recorded at or before `asOf` relies on.
    public func attachmentHashes(asOf: Date) -> Set<String> {
        let visible = records.filter { $0.record.recordedAt <= asOf }
        let revoked = Set(visible.compactMap { stored -> String? in
            if case .revocation(let body) = stored.record.body { return body.target }
            return nil
        })
        var hashes = Set<String>()
        for stored in visible where !revoked.contains(stored.record.id) {
            if case .evidence(let evidence) = stored.record.body {
                for attachment in evidence.attachments { hashes.insert(attachment.sha256) }
            }
        }
        return hashes
    }

    /// Evaluates every item. `attachments` holds the check of each hash from `attachmentHashes(asOf:)`;
    /// a hash missing from it counts as intact.
    public func evaluate(asOf: Date, attachments: [String: AttachmentStore.Check]) -> ChecklistState {
        // Sort positions, not records: moving 10^5 records around costs more than comparing them.
        let order = records.indices.filter { records[$0].record.recordedAt <= asOf }
            .sorted { Record.isOrderedBefore(records[$0].record, records[$1].record) }
        let ordered = order.map { records[$0].record }

        var importRecord: Record?
        var settings = checklist.settings
        var revocations: [String: Record] = [:]
        var reviews: [String: [Record]] = [:]
        var byItem: [String: [Record]] = [:]
        for record in ordered {
            switch record.body {
            case .import: importRecord = record
            case .settings(let value): settings = value
            case .revocation(let body): revocations[body.target] = record
            case .review(let body): reviews[body.target, default: []].append(record)
            default: break
            }
            if let item = record.item { byItem[item, default: []].append(record) }
        }

        let table: [ChecklistItem]
        if case .import(let body)? = importRecord?.body {
            table = body.items
        } else if records.contains(where: { $0.record.type == .import }) {
            table = []  // the checklist was imported after asOf
        } else {
            table = checklist.items
        }

        let states = table.map { item in
            evaluate(item, records: byItem[item.id] ?? [], revocations: revocations, reviews: reviews,
                     settings: settings, asOf: asOf, attachments: attachments)
        }
        return ChecklistState(
            checklist: checklist, asOf: asOf, settings: settings, importRecord: importRecord, items: states,
            digest: Self.digest(checklistID: checklist.id, records: order.lazy.map { records[$0] }), recordCount: order.count)
    }

    private func evaluate(
        _ item: ChecklistItem, records: [Record], revocations: [String: Record], reviews: [String: [Record]],
        settings: ChecklistSettings, asOf: Date, attachments: [String: AttachmentStore.Check]
    ) -> ItemState {
        let interval = item.reviewInterval ?? settings.defaultReviewInterval
        var evidenceStates: [EvidenceState] = []
        var waiver: Record?
        var notApplicable: Record?
        for record in records {
            switch record.body {
            case .evidence(let evidence):
                evidenceStates.append(assess(record, evidence, item: item, interval: interval, revocations: revocations,
                                             reviews: reviews, settings: settings, asOf: asOf, attachments: attachments))
            case .waiver where revocations[record.id] == nil:
                waiver = record  // recorded last wins
            case .notApplicable where revocations[record.id] == nil:
                notApplicable = record
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
        return ItemState(item: item, status: status, evidence: evidenceStates,
                         waiver: status == .waived ? waiver : nil,
                         notApplicable: status == .notApplicable ? notApplicable : nil,
                         records: records, expiresAt: expiresAt)
    }

    private func assess(
        _ record: Record, _ evidence: Evidence, item: ChecklistItem, interval: Interval?, revocations: [String: Record],
        reviews: [String: [Record]], settings: ChecklistSettings, asOf: Date, attachments: [String: AttachmentStore.Check]
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
        if let revocation = revocations[record.id], revocation.recordedAt <= asOf {
            standing = .revoked
        } else if !damaged.isEmpty {
            standing = .broken
        } else if record.recordedAt < item.lettersChangedAt {
            standing = .superseded
        } else if reviewDecision == .reject {
            standing = .rejected
        } else if settings.reviewRequired && reviewDecision != .accept {
            standing = .awaitingReview
        } else if evidence.effective > asOf {
            standing = .notYetEffective
        } else if let validUntil, validUntil <= asOf {
            standing = .expired
        } else {
            standing = .valid
        }
        return EvidenceState(record: record, evidence: evidence, standing: standing, validUntil: validUntil,
                             revocation: revocations[record.id], review: review, damagedAttachments: damaged)
    }

    /// SHA-256 over every record recorded at or before the evaluation time: one line per record,
    /// `ID <TAB> SHA-256 of its bytes`, sorted by the IDs' UTF-8 bytes, after a header naming the checklist.
    public static func digest(checklistID: String, records: some Sequence<StoredRecord>) -> String {
        let lines = records.map { ($0.record.id, $0.sha256) }.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        var text = "attest-state-v1\t\(checklistID)\n"
        text.reserveCapacity(lines.count * 110)
        for (id, sha256) in lines {
            text += id
            text += "\t"
            text += sha256
            text += "\n"
        }
        return FileHasher.sha256(of: Data(text.utf8))
    }
}
