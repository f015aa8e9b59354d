public import Foundation

/// One evidence record as evaluated at a point in time.
/// A class, shared rather than copied: reports and filters pass 10^5 of them around.
public final class EvidenceState: Hashable, Sendable {
    public enum Standing: String, Hashable, Sendable {
        /// Counts towards `complete`.
        case valid
        case revoked
        /// Its validity ended at or before the evaluation time.
        case expired
        /// Recorded before the customer's letters last changed.
        case superseded
        case awaitingReview = "awaiting-review"
        case rejected
        /// Takes effect after the evaluation time.
        case notYetEffective = "not-yet-effective"
        /// An attachment is missing or altered.
        case broken
        /// Signatures are required and it is not validly signed by its `by`.
        case unsigned
    }

    public let record: Record
    public let evidence: Evidence
    public let standing: Standing
    /// End of validity (exclusive), nil when it does not expire.
    public let validUntil: Date?
    public let revocation: Record?
    /// The review that decides (the latest), if any.
    public let review: Record?
    /// Attachments that are missing or altered, with what was found.
    public let damagedAttachments: [(attachment: Attachment, check: AttachmentStore.Check)]

    public init(record: Record, evidence: Evidence, standing: Standing, validUntil: Date?, revocation: Record?, review: Record?,
                damagedAttachments: [(attachment: Attachment, check: AttachmentStore.Check)]) {
        self.record = record
        self.evidence = evidence
        self.standing = standing
        self.validUntil = validUntil
        self.revocation = revocation
        self.review = review
        self.damagedAttachments = damagedAttachments
    }

    public static func == (lhs: EvidenceState, rhs: EvidenceState) -> Bool {
        lhs.record == rhs.record && lhs.standing == rhs.standing && lhs.validUntil == rhs.validUntil
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(record.id) }
}

/// An item and everything that decides its status at one point in time.
public struct ItemState: Sendable {
    public var item: ChecklistItem
    public var status: ItemStatus
    /// Evidence records for the item, oldest first.
    public var evidence: [EvidenceState]
    /// The waiver or not-applicable record in force, if any.
    public var waiver: Record?
    public var notApplicable: Record?
    /// All records about the item, oldest first.
    public var records: [Record]
    /// When the status stops holding by itself: the end of the last valid evidence or of the waiver.
    public var expiresAt: Date?
    /// A waiver or not-applicable mark that would count once its approver co-signs it (`attest approve`).
    public var awaitingApproval: Record?
    /// The waiver that counted last and has run out (what a blocked item's explanation names first).
    public var lapsedWaiver: Record?

    public init(item: ChecklistItem, status: ItemStatus, evidence: [EvidenceState], waiver: Record?, notApplicable: Record?,
                records: [Record], expiresAt: Date?, awaitingApproval: Record? = nil) {
        self.item = item
        self.status = status
        self.evidence = evidence
        self.waiver = waiver
        self.notApplicable = notApplicable
        self.records = records
        self.expiresAt = expiresAt
        self.awaitingApproval = awaitingApproval
    }

    /// "the waiver wv-… ran out after 2027-03-31; ", or nothing.
    private var lapse: String {
        guard let lapsedWaiver, case .waiver(let body) = lapsedWaiver.body else { return "" }
        return "the waiver \(lapsedWaiver.id) ran out after \(Timestamp.through(body.until)); "
    }

    public var required: Bool { item.isRequired }
    public var validEvidence: [EvidenceState] { evidence.filter { $0.standing == .valid } }
    public var latestEvidence: EvidenceState? { evidence.last { $0.standing != .revoked } }

    /// Broken only because a stored attachment is a link or device rather than a file (an input error, not a change).
    public var brokenOnlyByLinks: Bool {
        let damage = evidence.flatMap(\.damagedAttachments)
        return status == .broken && !damage.isEmpty && damage.allSatisfy {
            if case .notRegularFile = $0.check { return true }
            return false
        }
    }

    /// Blocks the gate: required, not retired, not satisfied.
    public var blocks: Bool { required && !status.isSatisfied }

    /// Why the matrix itself marks the item not applicable: the source's wording, kept as a note by import.
    public var sourceNotApplicableReason: String {
        item.notes.first { $0.hasPrefix("Not applicable") } ?? "the matrix marks it not applicable"
    }

    /// What is missing, in words, and the command that fixes it.
    public func explanation(checklist: String) -> (missing: String, fix: String) {
        let tick = "attest tick \(item.id) --checklist \(checklist) --file EVIDENCE"
        switch status {
        case .pending:
            if let mark = awaitingApproval {
                let (what, approver): (String, String) = {
                    switch mark.body {
                    case .waiver(let body): ("waiver", body.approvedBy)
                    case .notApplicable(let body): ("not-applicable mark", body.approvedBy)
                    default: ("record", "its approver")
                    }
                }()
                // Its author cannot co-sign it (`attest approve` refuses): it was written before signatures were required.
                if approver == mark.by {
                    return ("the \(what) \(mark.id) names its own author, \(approver), as approver, who cannot co-sign it",
                            "attest revoke \(mark.id) --checklist \(checklist) --reason TEXT, then record it again with another --approved-by")
                }
                return ("the \(what) \(mark.id) counts once \(approver) co-signs it", "attest approve \(mark.id) --checklist \(checklist) (run by \(approver))")
            }
            if let unsigned = evidence.last(where: { $0.standing == .unsigned }) {
                return ("evidence \(unsigned.record.id) is not validly signed by \(unsigned.record.by), and signatures are required",
                        "attest sign \(unsigned.record.id) --checklist \(checklist) (run by \(unsigned.record.by), if they recorded it; otherwise revoke it)")
            }
            if evidence.contains(where: { $0.standing == .awaitingReview }) {
                let pendingID = evidence.last { $0.standing == .awaitingReview }?.record.id ?? "EVIDENCE-ID"
                return ("evidence awaits a second person's review", "attest review \(pendingID) --checklist \(checklist) --accept --by REVIEWER")
            }
            if evidence.contains(where: { $0.standing == .rejected }) {
                return ("the evidence was rejected in review; new evidence is needed", tick)
            }
            return (lapse + "no evidence recorded", tick)
        case .expired:
            let end = expiresAt.map { " after \(Timestamp.through($0))" } ?? ""
            return (lapse + "all evidence expired\(end); renew it", tick)
        case .reconfirm:
            return ("the matrix changed the customer's letters after the evidence was recorded; re-confirm with new evidence", tick)
        case .broken:
            let names = evidence.flatMap { $0.damagedAttachments.map { "\($0.attachment.name) (\($0.attachment.sha256.prefix(12)))" } }
            let damagedID = evidence.last { !$0.damagedAttachments.isEmpty }?.record.id ?? "EVIDENCE-ID"
            return ("attachment missing or altered: \(names.joined(separator: ", "))",
                    "restore the file, or `attest revoke \(damagedID) --reason TEXT` and tick again; `attest verify` lists the damage")
        case .complete, .waived, .notApplicable, .retired:
            return ("", "")
        }
    }
}

/// A checklist evaluated at one point in time.
public struct ChecklistState: Sendable {
    public var checklist: Checklist
    public var asOf: Date
    public var settings: ChecklistSettings
    /// The import that gave the item table (nil before the first import).
    public var importRecord: Record?
    public var items: [ItemState]
    /// The signature of every visible record that has a `.sig` (absent: unsigned).
    public var signatures: [String: RecordSignature] = [:]
    /// SHA-256 of the workspace's `allowed_signers`, which decided the signatures (nil: there is none).
    public var allowedSignersSHA256: String?
    /// What the checks before a report found (a file altered, a table its source does not give): the reports
    /// lead with them.
    public var integrityProblems: [String] = []
    /// The SHA-256 of the recorded state as of `asOf`; `attest verify --digest` checks it later.
    public var digest: String
    /// Number of records recorded at or before `asOf`.
    public var recordCount: Int

    public var source: SourceMatrix {
        if case .import(let body)? = importRecord?.body { return body.source }
        return checklist.source
    }

    public var parties: [String] {
        if case .import(let body)? = importRecord?.body { return body.parties }
        return checklist.parties
    }

    public var customerParty: String {
        if case .import(let body)? = importRecord?.body { return body.customerParty }
        return checklist.customerParty
    }

    public var required: [ItemState] { items.filter(\.required) }
    public var blocking: [ItemState] { items.filter(\.blocks) }
    public var passes: Bool { blocking.isEmpty }
    public var broken: [ItemState] { items.filter { $0.status == .broken } }

    public func count(_ status: ItemStatus, requiredOnly: Bool = true) -> Int {
        items.filter { (!requiredOnly || $0.required) && $0.status == status }.count
    }

    /// Required items whose evidence or waiver ends within `window` of `asOf`.
    public func dueSoon(within window: Interval) -> [ItemState] {
        let horizon = window.added(to: asOf)
        return items.filter { state in
            guard state.required, state.status == .complete || state.status == .waived, let end = state.expiresAt else { return false }
            return end <= horizon
        }.sorted { ($0.expiresAt ?? .distantFuture, $0.item.number) < ($1.expiresAt ?? .distantFuture, $1.item.number) }
    }
}
