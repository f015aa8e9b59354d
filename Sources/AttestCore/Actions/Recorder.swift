public import Foundation

/// Adds records: evidence, revocations, waivers, not-applicable marks, reviews and settings.
/// Every input is checked before anything is written; a failure leaves nothing behind.
public struct Recorder: Sendable {
    public let ledger: Ledger
    public let now: Date
    /// Signs every record written (`--sign`); required once the checklist requires signatures.
    public let signer: RecordSigner?

    public init(ledger: Ledger, now: Date = Date(), signer: RecordSigner? = nil) {
        self.ledger = ledger
        self.now = Timestamp.truncatedToMilliseconds(now)
        self.signer = signer
    }

    var store: ChecklistStore { ledger.store }

    /// A file to attach: where it is, and how the user named it.
    public struct FileInput: Sendable {
        public var path: String
        public var displayName: String
        public init(path: String, displayName: String) {
            self.path = path
            self.displayName = displayName
        }
    }

    public struct TickInput: Sendable {
        public var item: String
        public var files: [FileInput] = []
        public var links: [String] = []
        public var references: [ExternalReference] = []
        public var note: String?
        public var by: String
        public var effective: Timestamp.Value?
        public var validUntil: Timestamp.Value?
        /// `--allow-future`: accept an effective date after now (the evidence counts only from then on).
        public var allowFuture: Bool
        /// The dates as the user typed them, for messages (`--valid-until 2026-12-01`).
        public var effectiveText: String?
        public var validUntilText: String?

        public init(item: String, files: [FileInput] = [], links: [String] = [], references: [ExternalReference] = [],
                    note: String? = nil, by: String, effective: Timestamp.Value? = nil, validUntil: Timestamp.Value? = nil,
                    allowFuture: Bool = false, effectiveText: String? = nil, validUntilText: String? = nil) {
            self.item = item
            self.files = files
            self.links = links
            self.references = references
            self.note = note
            self.by = by
            self.effective = effective
            self.validUntil = validUntil
            self.allowFuture = allowFuture
            self.effectiveText = effectiveText
            self.validUntilText = validUntilText
        }
    }

    /// Records evidence; returns the record and where it was written.
    public func tick(_ input: TickInput) throws -> (record: Record, path: String) {
        let item = try liveItem(input.item)
        let by = try required(input.by, "--by")
        let note = input.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if input.files.isEmpty && input.links.isEmpty && input.references.isEmpty && (note ?? "").isEmpty {
            throw StoreError.invalidInput("evidence needs something: --file PATH, --link URL, --ref URL --sha256 HEX or --note TEXT")
        }
        for link in input.links + input.references.map(\.url) { try checkURL(link) }
        for reference in input.references where !FileHasher.isValidHex(reference.sha256.lowercased()) {
            throw StoreError.invalidInput("--sha256 \"\(reference.sha256)\" is not a SHA-256 (64 hex digits); `sha256sum FILE` prints it")
        }
        let effective = input.effective?.start ?? now
        let validUntil = input.validUntil?.endExclusive
        if effective > now && !input.allowFuture {
            throw StoreError.invalidInput("--effective \(input.effectiveText ?? Timestamp.human(effective)) is in the future: the evidence would "
                + "not count before then (it would show as \"\(Wording.notYetEffective(until: effective))\"); pass --allow-future to record it now")
        }
        if let validUntil, validUntil <= effective {
            let typed = "--valid-until \(input.validUntilText ?? Timestamp.through(validUntil))"
            if input.effective == nil {
                throw StoreError.invalidInput("\(typed) has passed; to record evidence that was valid back then, "
                    + "give the date it took effect with --effective DATE (back-dated evidence is allowed)")
            }
            throw StoreError.invalidInput("\(typed) is not after --effective \(input.effectiveText ?? Timestamp.human(effective))")
        }
        for file in input.files { try checkReadableFile(file) }

        var attachments: [Attachment] = []
        var created: [URL] = []
        do {
            for file in input.files {
                // attachments/ and its folders must be real: a link there would carry the copy out of the workspace.
                try store.workspace.requireRealDirectories(below: store.directory, for: "attachments/sha256/00/file")
                let stored = try store.attachments.store(fileAt: file.path, displayName: file.displayName)
                if stored.created { created.append(store.attachments.url(for: stored.sha256)) }
                let type = MediaType.detect(fileAt: store.attachments.url(for: stored.sha256).path, fileName: file.displayName)
                    ?? (MediaType.guess(fileName: file.displayName), nil)
                attachments.append(Attachment(name: Self.baseName(file.displayName), size: stored.size, mediaType: type.mediaType,
                                              sha256: stored.sha256, extensionMediaType: type.byExtension))
            }
            let evidence = Evidence(note: (note ?? "").isEmpty ? nil : note, links: input.links, attachments: attachments,
                                    references: input.references.map { ExternalReference(url: $0.url, sha256: $0.sha256.lowercased()) },
                                    effective: effective, validUntil: validUntil)
            return try write(.evidence(evidence), item: item.id, by: by)
        } catch {
            for url in created { unlink(url.path) }
            throw error
        }
    }

    /// Withdraws evidence, a waiver or a not-applicable mark.
    public func revoke(_ reference: String, reason: String, by: String) throws -> (record: Record, path: String) {
        let reason = try required(reason, "--reason")
        let by = try required(by, "--by")
        precondition(ledger.hasRecords, "revoke resolves records: load the ledger with its records")
        let target = try Resolver.record(reference, in: ledger.records.map(\.record), types: [.evidence, .waiver, .notApplicable])
        if let existing = ledger.revocation(of: target.id) {
            throw StoreError.invalidInput("\(target.id) was revoked already by \(existing.by) on \(Timestamp.human(existing.recordedAt))")
        }
        return try write(.revocation(Revocation(target: target.id, reason: reason)), item: target.item, by: by)
    }

    public func waive(_ itemReference: String, reason: String, approvedBy: String, until: Timestamp.Value, by: String) throws -> (record: Record, path: String) {
        let item = try liveItem(itemReference)
        let reason = try required(reason, "--reason")
        let approver = try required(approvedBy, "--approved-by")
        let by = try required(by, "--by")
        try checkApprover(approver, by: by)
        let end = until.endExclusive
        guard end > now else {
            throw StoreError.invalidInput("--until \(Timestamp.human(until.start)) has passed; a waiver must end in the future")
        }
        return try write(.waiver(Waiver(reason: reason, approvedBy: approver, until: end)), item: item.id, by: by)
    }

    public func markNotApplicable(_ itemReference: String, reason: String, approvedBy: String, by: String) throws -> (record: Record, path: String) {
        let item = try liveItem(itemReference)
        let reason = try required(reason, "--reason")
        let approver = try required(approvedBy, "--approved-by")
        let by = try required(by, "--by")
        try checkApprover(approver, by: by)
        return try write(.notApplicable(NotApplicable(reason: reason, approvedBy: approver)), item: item.id, by: by)
    }

    public func review(_ reference: String, decision: Review.Decision, comment: String?, by: String) throws -> (record: Record, path: String) {
        let by = try required(by, "--by")
        precondition(ledger.hasRecords, "review resolves records: load the ledger with its records")
        let target = try Resolver.record(reference, in: ledger.records.map(\.record), types: [.evidence])
        if let revocation = ledger.revocation(of: target.id) {
            throw StoreError.invalidInput("\(target.id) was revoked by \(revocation.by) on \(Timestamp.human(revocation.recordedAt)); there is nothing to review")
        }
        if target.by.caseInsensitiveCompare(by) == .orderedSame {
            throw StoreError.invalidInput("\(by) submitted \(target.id) and cannot review it; a second person reviews with --by THEIR-NAME")
        }
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try write(.review(Review(target: target.id, decision: decision, comment: (comment ?? "").isEmpty ? nil : comment)),
                         item: target.item, by: by)
    }

    /// Records new settings: the settings record is their only home. Requiring signatures must itself be
    /// signed, and only once the import record in effect is validly signed (else nothing would count).
    public func changeSettings(_ settings: ChecklistSettings, by: String) throws -> (record: Record, path: String) {
        let by = try required(by, "--by")
        if settings.signaturesRequired && !ledger.checklist.settings.signaturesRequired {
            guard signer != nil else {
                throw StoreError.invalidInput("requiring signatures must itself be signed: add --sign (with --key KEY, or git's user.signingkey)")
            }
            guard let head = try ledger.imports.inEffect(asOf: .distantFuture), head.signature.isValid else {
                throw StoreError.invalidInput("the import record in effect is not validly signed, so nothing would count once signatures are required; "
                    + "import the matrix again with --sign first (attest import MATRIX --checklist \(ledger.store.id) --sign)")
            }
        }
        return try write(.settings(settings), item: nil, by: by)
    }

    /// The approver named on a waiver or not-applicable mark co-signs it: an approval record that binds the
    /// approved record's SHA-256, always signed, never by the record's own author.
    public func approve(_ reference: String, by: String) throws -> (record: Record, path: String) {
        let by = try required(by, "--by")
        precondition(ledger.hasRecords, "approve resolves records: load the ledger with its records")
        let target = try Resolver.record(reference, in: ledger.records.map(\.record), types: [.waiver, .notApplicable])
        guard let stored = ledger.records.first(where: { $0.record.id == target.id }) else { throw StoreError.unknownRecord(reference: reference, suggestions: []) }
        let approver: String
        switch target.body {
        case .waiver(let body): approver = body.approvedBy
        case .notApplicable(let body): approver = body.approvedBy
        default: approver = ""
        }
        if let revocation = ledger.revocation(of: target.id) {
            throw StoreError.invalidInput("\(target.id) was revoked by \(revocation.by) on \(Timestamp.human(revocation.recordedAt)); there is nothing to approve")
        }
        guard by == approver else {
            throw StoreError.invalidInput("\(target.id) names \(approver) as its approver; only they approve it (you are \(by); set --by or git's user.email)")
        }
        guard by != target.by else {
            throw StoreError.invalidInput("\(by) wrote \(target.id) and cannot approve it too; the approver must be another person")
        }
        if let earlier = ledger.records.first(where: {
            if case .approval(let body) = $0.record.body { return body.target == target.id && body.sha256 == stored.sha256 && $0.record.by == by }
            return false
        }) {
            throw StoreError.invalidInput("\(by) approved \(target.id) already (\(earlier.record.id)); an approval is recorded once")
        }
        guard signer != nil else {
            throw StoreError.invalidInput("an approval is always signed: give the approver's key with --key KEY, or set git's user.signingkey (gpg.format ssh)")
        }
        return try write(.approval(Approval(target: target.id, sha256: stored.sha256)), item: target.item, by: by)
    }

    /// Signs records written earlier, as their own `by` (a new `.sig`; the record unchanged).
    public func sign(_ references: [String]) throws -> [String] {
        precondition(ledger.hasRecords, "sign resolves records: load the ledger with its records")
        guard let signer else {
            throw StoreError.invalidInput("give the key to sign with: --key KEY, or git's user.signingkey (gpg.format ssh)")
        }
        let all = ledger.records.map(\.record)
        let targets = try references.map { try Resolver.record($0, in: all, types: Set(RecordType.allCases)) }
        var written: [String] = []
        for target in targets {
            guard let stored = ledger.records.first(where: { $0.record.id == target.id }) else { continue }
            let relative = String(stored.path.dropFirst(store.displayPath.count + 1))
            let url = store.directory.appendingPathComponent(relative)
            if SafeFile.kind(of: RecordSignature.file(for: url.path)) != nil {
                throw StoreError.invalidInput("\(RecordSignature.file(for: stored.path)) exists already; signatures are never replaced")
            }
            let bytes = try SafeFile.read(url.path, display: stored.path, limit: SafeFile.Limit.importRecord, what: "record")
            guard FileHasher.sha256(of: bytes) == stored.sha256 else {
                throw StoreError.invalidInput("\(stored.path) changed while attest read it; run the command again")
            }
            try signer.writeSignature(of: bytes, at: url, display: stored.path, as: target.by, at: target.recordedAt, workspace: store.workspace)
            written.append(RecordSignature.file(for: stored.path))
        }
        return written
    }

    // MARK: Helpers

    private func write(_ body: Record.Body, item: String?, by: String) throws -> (record: Record, path: String) {
        if ledger.checklist.settings.signaturesRequired && signer == nil {
            throw StoreError.invalidInput("this checklist requires signatures: sign with --key KEY, or set git's user.signingkey (gpg.format ssh); "
                + "`attest signers list` shows who may sign")
        }
        let record = Record(id: Record.makeID(type: body.type, at: now), checklist: ledger.checklist.id, item: item,
                            recordedAt: now, by: by, body: body)
        return (record, try store.write(record, signer: signer))
    }

    /// Where signatures are required, a waiver or mark counts only once another person co-signs it: one that
    /// names its own author as approver could never count.
    private func checkApprover(_ approver: String, by: String) throws {
        if ledger.checklist.settings.signaturesRequired && approver == by {
            throw StoreError.invalidInput("--approved-by names \(by.visible), who records it; signatures are required, so the approver must be "
                + "another person, who co-signs it with `attest approve`")
        }
    }

    private func liveItem(_ reference: String) throws -> ChecklistItem {
        let item = try ledger.item(reference)
        if item.retired {
            throw StoreError.invalidInput("\(item.id) is retired: its row is gone from the matrix; nothing more can be recorded for it")
        }
        return item
    }

    private func required(_ value: String, _ option: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.invalidInput("\(option) must not be empty") }
        return trimmed
    }

    private func checkURL(_ text: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme, !scheme.isEmpty, text.contains(":") else {
            throw StoreError.invalidInput("\"\(text)\" is not a URL; give it with its scheme, e.g. https://tickets.example.com/SEC-42")
        }
    }

    private func checkReadableFile(_ file: FileInput) throws {
        // The same check `AttachmentStore.store` makes on the descriptor it copies from, made here before
        // anything is written, so that one bad --file among several leaves nothing behind.
        close(try AttachmentStore.openSource(file.path, displayName: file.displayName))
    }

    /// The last path component: names are metadata, never paths (and never `.` or `..`).
    static func baseName(_ name: String) -> String {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        return base.isEmpty || base == "." || base == ".." ? "attachment" : base
    }
}
