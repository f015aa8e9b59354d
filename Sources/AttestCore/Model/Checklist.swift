public import Foundation

/// Settings that change how evidence counts; changed with `attest settings`.
public struct ChecklistSettings: Codable, Hashable, Sendable {
    /// Evidence counts only once another person has accepted it.
    public var reviewRequired: Bool
    /// Applies to items whose wording implies no interval.
    public var defaultReviewInterval: Interval?
    /// What `status` and the markdown report call "due soon".
    public var dueSoonWindow: Interval
    /// A record counts only when validly signed by its `by`; waivers and not-applicable marks only once their
    /// approver co-signed them.
    public var signaturesRequired: Bool

    public init(reviewRequired: Bool = false, defaultReviewInterval: Interval? = nil, dueSoonWindow: Interval = Interval(30, .day),
                signaturesRequired: Bool = false) {
        self.reviewRequired = reviewRequired
        self.defaultReviewInterval = defaultReviewInterval
        self.dueSoonWindow = dueSoonWindow
        self.signaturesRequired = signaturesRequired
    }

    enum CodingKeys: String, CodingKey { case reviewRequired, defaultReviewInterval, dueSoonWindow, signaturesRequired }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reviewRequired = try container.decode(Bool.self, forKey: .reviewRequired)
        defaultReviewInterval = try container.decodeIfPresent(Interval.self, forKey: .defaultReviewInterval)
        dueSoonWindow = try container.decode(Interval.self, forKey: .dueSoonWindow)
        signaturesRequired = try container.decodeIfPresent(Bool.self, forKey: .signaturesRequired) ?? false
    }

    /// Written only when true: settings records without it read the same in attest 0.1.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reviewRequired, forKey: .reviewRequired)
        try container.encodeIfPresent(defaultReviewInterval, forKey: .defaultReviewInterval)
        try container.encode(dueSoonWindow, forKey: .dueSoonWindow)
        if signaturesRequired { try container.encode(true, forKey: .signaturesRequired) }
    }
}

/// The imported source matrix, copied byte for byte into the checklist folder.
public struct SourceMatrix: Codable, Hashable, Sendable {
    /// The copy's path relative to the checklist folder: `source/sha256/<hash>` (attest before 0.2 wrote
    /// `source/<name>`, which is still read where its bytes match `sha256`).
    public var file: String
    /// Where the matrix came from: a path relative to the workspace when it lay inside it, else its file name.
    public var importedFrom: String
    public var sha256: String
    /// `--source-version`: a version, date or commit.
    public var version: String?
    /// `--source-url`: where the provider publishes the matrix.
    public var url: String?

    public init(file: String, importedFrom: String, sha256: String, version: String?, url: String? = nil) {
        self.file = file
        self.importedFrom = importedFrom
        self.sha256 = sha256
        self.version = version
        self.url = url
    }
}

/// A checklist as its records say it is at one time: the item table of the import record in effect and the
/// settings in effect. Derived from records, never stored (attest before 0.2 mirrored it in `checklist.json`,
/// which is no longer read).
public struct Checklist: Hashable, Sendable {
    public var id: String
    public var title: String
    /// The customer's party name as found in the matrix (or `--party`).
    public var customerParty: String
    /// The provider's name, when known (`--provider`, or the other party of a two-party matrix).
    public var provider: String?
    /// All party names in header order.
    public var parties: [String]
    public var prefix: String
    public var source: SourceMatrix
    public var importedAt: Date
    public var settings: ChecklistSettings
    public var items: [ChecklistItem]

    public init(
        id: String, title: String, customerParty: String, provider: String?, parties: [String], prefix: String,
        source: SourceMatrix, importedAt: Date, settings: ChecklistSettings, items: [ChecklistItem]
    ) {
        self.id = id
        self.title = title
        self.customerParty = customerParty
        self.provider = provider
        self.parties = parties
        self.prefix = prefix
        self.source = source
        self.importedAt = importedAt
        self.settings = settings
        self.items = items
    }

    /// The checklist an import record gives, under the settings in effect.
    public init(id: String, importedAt: Date, body: ImportRecord, settings: ChecklistSettings) {
        self.init(id: id, title: body.title ?? id, customerParty: body.customerParty, provider: body.provider, parties: body.parties,
                  prefix: body.prefix, source: body.source, importedAt: importedAt, settings: settings, items: body.items)
    }

    /// Checklist IDs are lowercase letters, digits and hyphens.
    public static func isValidID(_ id: String) -> Bool { Identifier.isChecklistID(id) }

    /// The item-ID prefix a checklist ID gives: the initials of a hyphenated ID, a one-word ID whole.
    public static func defaultPrefix(forChecklistID id: String) -> String {
        let words = id.split(separator: "-")
        if words.count <= 1 { return id.uppercased() }
        return words.compactMap { $0.first.map { String($0) } }.joined().uppercased()
    }

    /// `ACCS-07`: at least two digits.
    public static func itemID(prefix: String, number: Int) -> String {
        prefix + "-" + (number < 10 ? "0\(number)" : "\(number)")
    }
}
