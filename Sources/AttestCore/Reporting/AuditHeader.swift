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
        /// Record signatures: a slot for when attest signs records.
        public var signatures: String
    }

    public var scope: Scope
    public var period: Period
    public var policy: Policy
    /// Nil where no generator is known (a report rendered in memory).
    public var generator: ReportGenerator?
    public var digest: String

    public static let signaturesNotYetSupported = "not checked (this attest version does not sign records)"

    public init(_ state: ChecklistState, generator: ReportGenerator?) {
        let source = state.source
        var provider = state.checklist.provider
        if case .import(let body)? = state.importRecord?.body { provider = body.provider ?? provider }
        scope = Scope(
            checklist: state.checklist.id, title: state.checklist.title, customerParty: state.customerParty, provider: provider,
            sourceFile: source.file, importedFrom: source.importedFrom, originURL: source.url, sourceVersion: source.version,
            sourceSHA256: source.sha256, importedAt: state.importRecord?.recordedAt, importedBy: state.importRecord?.by,
            importRecord: state.importRecord?.id)
        period = Period(asOf: state.asOf, recordsConsidered: state.recordCount,
                        rule: "records recorded at or before the as-of; validity judged at the as-of")
        policy = Policy(reviewRequired: state.settings.reviewRequired,
                        defaultReviewInterval: state.settings.defaultReviewInterval?.description,
                        dueSoonWindow: state.settings.dueSoonWindow.description,
                        signatures: Self.signaturesNotYetSupported)
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
            } ?? "no import record"),
            ("period", "asOf", "As of", Timestamp.format(period.asOf)),
            ("period", "evidenceConsidered", "Evidence considered",
             "\(Wording.count(period.recordsConsidered, "record")) recorded at or before \(Timestamp.format(period.asOf)); validity judged at it"),
            ("policy", "reviewRequired", "Review required", policy.reviewRequired ? "yes (evidence counts once a second person accepts it)" : "no"),
            ("policy", "defaultReviewInterval", "Default review interval",
             policy.defaultReviewInterval ?? "none (items keep the interval their wording gives)"),
            ("policy", "dueSoonWindow", "Due-soon window", policy.dueSoonWindow),
            ("policy", "signatures", "Signatures", policy.signatures),
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
