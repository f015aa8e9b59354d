public import Foundation

/// The facts an auditor asks first, shown the same way by the markdown report, the JUnit properties and
/// `status --format json`: scope, period, policy in effect at the as-of, generator and digest.
public struct AuditHeader: Encodable, Sendable {
    public struct Scope: Encodable, Sendable {
        public var checklist: String
        public var title: String
        public var customerParty: String
        public var provider: String?
        /// The stored copy, relative to the checklist folder.
        public var sourceFile: String
        /// The path as given to `import`.
        public var importedFrom: String
        public var originURL: String?
        public var sourceVersion: String?
        public var sourceSHA256: String
        public var importedAt: Date?
        public var importedBy: String?
        public var importRecord: String?
        /// Who signed the import record (`RecordSignature.description`); nil without an import record.
        public var importSignature: String?

        enum CodingKeys: String, CodingKey {
            case checklist, title, customerParty, provider, sourceFile, importedFrom, originURL, sourceVersion, sourceSHA256,
                 importedAt, importedBy, importRecord, importSignature
        }

        /// Facts that are not known are written as `null`, so that scripts can rely on the keys.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(checklist, forKey: .checklist)
            try container.encode(title, forKey: .title)
            try container.encode(customerParty, forKey: .customerParty)
            try container.encode(provider, forKey: .provider)
            try container.encode(sourceFile, forKey: .sourceFile)
            try container.encode(importedFrom, forKey: .importedFrom)
            try container.encode(originURL, forKey: .originURL)
            try container.encode(sourceVersion, forKey: .sourceVersion)
            try container.encode(sourceSHA256, forKey: .sourceSHA256)
            try container.encode(importedAt, forKey: .importedAt)
            try container.encode(importedBy, forKey: .importedBy)
            try container.encode(importRecord, forKey: .importRecord)
            try container.encode(importSignature, forKey: .importSignature)
        }
    }

    public struct Period: Encodable, Sendable {
        public var asOf: Date
        /// Records recorded at or before the as-of: the only ones considered.
        public var recordsConsidered: Int
        public var rule: String
    }

    public struct Policy: Encodable, Sendable {
        public var reviewRequired: Bool
        public var defaultReviewInterval: String?
        public var dueSoonWindow: String
        /// Record signatures: `required` or `optional`.
        public var signatures: String
        /// SHA-256 of the workspace's `allowed_signers`, which decided every signature; nil when there is none.
        public var allowedSignersSHA256: String?

        /// Every setting as the text shows it (a settings record leaves out what is unset or off).
        public init(_ settings: ChecklistSettings, allowedSignersSHA256: String?) {
            reviewRequired = settings.reviewRequired
            defaultReviewInterval = settings.defaultReviewInterval?.description
            dueSoonWindow = settings.dueSoonWindow.description
            signatures = settings.signaturesRequired ? "required" : "optional"
            self.allowedSignersSHA256 = allowedSignersSHA256
        }

        enum CodingKeys: String, CodingKey { case reviewRequired, defaultReviewInterval, dueSoonWindow, signatures, allowedSignersSHA256 }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reviewRequired, forKey: .reviewRequired)
            try container.encode(defaultReviewInterval, forKey: .defaultReviewInterval)
            try container.encode(dueSoonWindow, forKey: .dueSoonWindow)
            try container.encode(signatures, forKey: .signatures)
            try container.encode(allowedSignersSHA256, forKey: .allowedSignersSHA256)
        }
    }

    public var scope: Scope
    public var period: Period
    public var policy: Policy
    /// Nil where no generator is known (a report rendered in memory).
    public var generator: ReportGenerator?
    public var digest: String

    enum CodingKeys: String, CodingKey { case scope, period, policy, generator, digest }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scope, forKey: .scope)
        try container.encode(period, forKey: .period)
        try container.encode(policy, forKey: .policy)
        try container.encode(generator, forKey: .generator)
        try container.encode(digest, forKey: .digest)
    }

    public init(_ state: ChecklistState, generator: ReportGenerator?) {
        let source = state.source
        var provider = state.checklist.provider
        if case .import(let body)? = state.importRecord?.body { provider = body.provider ?? provider }
        scope = Scope(
            checklist: state.checklist.id, title: state.checklist.title, customerParty: state.customerParty, provider: provider,
            sourceFile: source.file, importedFrom: source.importedFrom, originURL: source.url, sourceVersion: source.version,
            sourceSHA256: source.sha256, importedAt: state.importRecord?.recordedAt, importedBy: state.importRecord?.by,
            importRecord: state.importRecord?.id,
            importSignature: state.importRecord.map { (state.signatures[$0.id] ?? .unsigned).description })
        period = Period(asOf: state.asOf, recordsConsidered: state.recordCount,
                        rule: "records recorded at or before the as-of; validity judged at the as-of")
        policy = Policy(state.settings, allowedSignersSHA256: state.allowedSignersSHA256)
        self.generator = generator
        digest = state.digest
    }

    /// Labelled facts in display order, shared by the markdown tables and the JUnit properties:
    /// (group, property key, label, value).
    public var facts: [(group: String, key: String, label: String, value: String)] {
        var rows: [(String, String, String, String)] = [
            ("scope", "checklist", "Checklist", scope.checklist),
            ("scope", "title", "Title", scope.title),
            ("scope", "customerParty", "Customer party", scope.customerParty),
            ("scope", "provider", "Provider", scope.provider ?? "not given"),
            ("scope", "source.file", "Source file", scope.sourceFile),
            ("scope", "source.importedFrom", "Imported from", scope.importedFrom),
            ("scope", "source.url", "Origin URL", scope.originURL ?? "not given (import --source-url)"),
            ("scope", "source.version", "Source version", scope.sourceVersion ?? "not given (import --source-version)"),
            ("scope", "source.sha256", "Source SHA-256", scope.sourceSHA256),
            ("scope", "imported", "Imported", scope.importedAt.map { at in
                Timestamp.format(at) + (scope.importedBy.map { " by \($0)" } ?? "") + (scope.importRecord.map { " (record \($0))" } ?? "")
                    + (scope.importSignature.map { ", \($0)" } ?? "")
            } ?? "no import record"),
            ("period", "asOf", "As of", Timestamp.format(period.asOf)),
            ("period", "evidenceConsidered", "Evidence considered",
             "\(Wording.count(period.recordsConsidered, "record")) recorded at or before \(Timestamp.format(period.asOf)); validity judged at it"),
            ("policy", "reviewRequired", "Review required", policy.reviewRequired ? "yes (evidence counts once a second person accepts it)" : "no"),
            ("policy", "defaultReviewInterval", "Default review interval",
             policy.defaultReviewInterval ?? "none (items keep the interval their wording gives)"),
            ("policy", "dueSoonWindow", "Due-soon window", policy.dueSoonWindow),
            ("policy", "signatures", "Signatures", policy.signatures == "required"
                ? "required (a record counts only when its author signed it; a waiver or not-applicable mark once its approver co-signs it)"
                : "optional (signatures are checked and shown where present)"),
            ("policy", "allowedSigners.sha256", "allowed_signers SHA-256", policy.allowedSignersSHA256 ?? "none (no allowed_signers file)"),
        ]
        if let generator {
            rows += [
                ("generator", "attestVersion", "attest version", generator.attestVersion),
                ("generator", "commit", "Workspace commit", generator.commitText),
                ("generator", "workingTree", "Working tree", generator.treeText),
            ]
        }
        rows.append(("digest", "digest", "State digest", digest))
        return rows
    }
}
