import AttestCore
import Foundation

/// The JSON shape of an item for `list` and `show`.
struct ItemJSON: Encodable {
    var id: String
    var task: String
    var section: String
    var kind: String
    var required: Bool
    var status: String
    var responsibility: [String: String]
    var customerLetters: String
    var reviewInterval: String?
    var expiresAt: Date?
    var notes: [String]
    var inherits: String?
    var retired: Bool
    var evidenceCount: Int
    var records: [RecordJSON]?

    init(_ state: ItemState, withRecords: Bool = false) {
        id = state.item.id
        task = state.item.task
        section = state.item.section
        kind = state.item.kind.rawValue
        required = state.required
        status = state.status.rawValue
        responsibility = state.item.responsibility
        customerLetters = state.item.customerLetters
        reviewInterval = state.item.reviewInterval?.description
        expiresAt = state.expiresAt
        notes = state.item.notes
        inherits = state.item.inherits
        retired = state.item.retired
        evidenceCount = state.evidence.filter { $0.standing != .revoked }.count
        if withRecords {
            let standings = Dictionary(uniqueKeysWithValues: state.evidence.map { ($0.record.id, $0) })
            records = state.records.map { RecordJSON($0, evidence: standings[$0.id]) }
        }
    }
}

/// A record as stored, plus how it stands (for evidence).
struct RecordJSON: Encodable {
    var record: Record
    var evidence: EvidenceState?

    init(_ record: Record, evidence: EvidenceState? = nil) {
        self.record = record
        self.evidence = evidence
    }

    enum Extra: String, CodingKey { case standing, validUntilEffective, note }

    func encode(to encoder: any Encoder) throws {
        if case .import(var body) = record.body {
            // The item table is in the file; the log shows what changed.
            body.items = []
            var summary = record
            summary.body = .import(body)
            try summary.encode(to: encoder)
        } else {
            try record.encode(to: encoder)
        }
        var container = encoder.container(keyedBy: Extra.self)
        if case .evidence(let body) = record.body, body.note == nil {
            try container.encodeNil(forKey: .note)  // scripts can rely on the key
        }
        if let evidence {
            try container.encode(evidence.standing.rawValue, forKey: .standing)
            try container.encodeIfPresent(evidence.validUntil, forKey: .validUntilEffective)
        }
    }
}

extension Record {
    /// One line of the audit trail.
    var summary: String {
        switch body {
        case .evidence(let evidence):
            var parts: [String] = []
            if let note = evidence.note { parts.append("\"\(note)\"") }
            parts += evidence.attachments.map { "\($0.name) (\($0.sha256.prefix(12)))" }
            parts += evidence.links
            parts += evidence.references.map { "\($0.url) (sha256 \($0.sha256.prefix(12)))" }
            if let until = evidence.validUntil { parts.append("valid through \(Timestamp.through(until))") }
            return "evidence " + parts.joined(separator: ", ")
        case .revocation(let body): return "revoked \(body.target): \(body.reason)"
        case .waiver(let body): return "waived through \(Timestamp.through(body.until)), approved by \(body.approvedBy): \(body.reason)"
        case .notApplicable(let body): return "not applicable, approved by \(body.approvedBy): \(body.reason)"
        case .review(let body):
            return "\(body.decision == .accept ? "accepted" : "rejected") \(body.target)" + (body.comment.map { ": \($0)" } ?? "")
        case .import(let body):
            return "imported \(body.source.importedFrom) (sha256 \(body.source.sha256.prefix(12))): \(body.items.filter { !$0.retired }.count) items, "
                + "\(body.added.count) added, \(body.removed.count) removed, \(body.changed.count) changed"
        case .settings(let settings):
            return "settings: review \(settings.reviewRequired ? "required" : "not required"), default interval "
                + "\(settings.defaultReviewInterval?.description ?? "none"), due-soon window \(settings.dueSoonWindow)"
                + (settings.signaturesRequired ? ", signatures required" : "")
        case .approval(let body):
            return "approved \(body.target) (sha256 \(body.sha256.prefix(12)))"
        }
    }
}
