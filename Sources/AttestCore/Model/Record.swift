public import Foundation

/// The kinds of record, as their `type` field spells them.
public enum RecordType: String, Codable, Hashable, Sendable, CaseIterable {
    case evidence
    case revocation
    case waiver
    case notApplicable = "not-applicable"
    case review
    case `import`
    case settings
    case approval

    /// The short prefix of record IDs of this type (`ev-20261127T101500Z-1a2b3c4d`).
    public var idPrefix: String {
        switch self {
        case .evidence: "ev"
        case .revocation: "rv"
        case .waiver: "wv"
        case .notApplicable: "na"
        case .review: "rw"
        case .import: "im"
        case .settings: "st"
        case .approval: "ap"
        }
    }
}

/// A file stored in the checklist's content-addressed store.
public struct Attachment: Codable, Hashable, Sendable {
    /// The original file name: metadata only, never a path that attest writes to.
    public var name: String
    public var size: Int64
    /// Sniffed from the content's first bytes (for records written before sniffing: from the name).
    public var mediaType: String
    public var sha256: String
    /// The type the name's extension suggests, when it differs from `mediaType`.
    public var extensionMediaType: String?

    public init(name: String, size: Int64, mediaType: String, sha256: String, extensionMediaType: String? = nil) {
        self.name = name
        self.size = size
        self.mediaType = mediaType
        self.sha256 = sha256
        self.extensionMediaType = extensionMediaType
    }
}

/// A large file kept elsewhere, recorded by URL and hash; `verify` cannot check it locally.
public struct ExternalReference: Codable, Hashable, Sendable {
    public var url: String
    public var sha256: String

    public init(url: String, sha256: String) {
        self.url = url
        self.sha256 = sha256
    }
}

public struct Evidence: Codable, Hashable, Sendable {
    public var note: String?
    public var links: [String]
    public var attachments: [Attachment]
    public var references: [ExternalReference]
    /// When the evidence took effect.
    public var effective: Date
    /// Explicit end of validity (exclusive); otherwise effective + the item's review interval.
    public var validUntil: Date?

    public init(note: String?, links: [String], attachments: [Attachment], references: [ExternalReference], effective: Date, validUntil: Date?) {
        self.note = note
        self.links = links
        self.attachments = attachments
        self.references = references
        self.effective = effective
        self.validUntil = validUntil
    }
}

public struct Revocation: Codable, Hashable, Sendable {
    /// The withdrawn record: evidence, a waiver or a not-applicable record.
    public var target: String
    public var reason: String

    public init(target: String, reason: String) {
        self.target = target
        self.reason = reason
    }
}

public struct Waiver: Codable, Hashable, Sendable {
    public var reason: String
    public var approvedBy: String
    /// End of the waiver (exclusive).
    public var until: Date

    public init(reason: String, approvedBy: String, until: Date) {
        self.reason = reason
        self.approvedBy = approvedBy
        self.until = until
    }
}

public struct NotApplicable: Codable, Hashable, Sendable {
    public var reason: String
    public var approvedBy: String

    public init(reason: String, approvedBy: String) {
        self.reason = reason
        self.approvedBy = approvedBy
    }
}

public struct Review: Codable, Hashable, Sendable {
    public enum Decision: String, Codable, Hashable, Sendable { case accept, reject }
    /// The reviewed evidence record.
    public var target: String
    public var decision: Decision
    public var comment: String?

    public init(target: String, decision: Decision, comment: String?) {
        self.target = target
        self.decision = decision
        self.comment = comment
    }
}

/// The co-signature of the approver named on a waiver or not-applicable mark: binds that record's bytes.
public struct Approval: Codable, Hashable, Sendable {
    /// The approved waiver or not-applicable record.
    public var target: String
    /// SHA-256 of the approved record's file: the approval counts for those bytes only.
    public var sha256: String

    public init(target: String, sha256: String) {
        self.target = target
        self.sha256 = sha256
    }
}

/// The options of `attest import` that shaped an item table, as given (nil: the default was used).
public struct ImportOptions: Codable, Hashable, Sendable {
    public var party: String?
    public var provider: String?
    public var taskColumn: String?

    public init(party: String? = nil, provider: String? = nil, taskColumn: String? = nil) {
        self.party = party
        self.provider = provider
        self.taskColumn = taskColumn
    }
}

/// What an import changed, and the item table it produced (so that `--as-of` sees the checklist as it was,
/// and `verify` can derive the table again from the stored source).
public struct ImportRecord: Codable, Hashable, Sendable {
    public var source: SourceMatrix
    public var customerParty: String
    public var provider: String?
    public var parties: [String]
    public var prefix: String
    public var added: [String]
    public var removed: [String]
    public var changed: [String]
    public var items: [ChecklistItem]
    /// The page's title, when it has one.
    public var title: String?
    /// The import records this one follows (two when it resolves a fork). Absent in records of attest
    /// before schema 1.1, whose predecessor is the import recorded before them.
    public var follows: [String]?
    /// The version of the reader that derived `items` from the source; absent before schema 1.1.
    public var readerVersion: Int?
    /// The options that shaped the table, so that `verify` can derive it again.
    public var options: ImportOptions?

    public init(source: SourceMatrix, customerParty: String, provider: String?, parties: [String], prefix: String,
                added: [String], removed: [String], changed: [String], items: [ChecklistItem], title: String? = nil,
                follows: [String]? = nil, readerVersion: Int? = nil, options: ImportOptions? = nil) {
        self.source = source
        self.customerParty = customerParty
        self.provider = provider
        self.parties = parties
        self.prefix = prefix
        self.added = added
        self.removed = removed
        self.changed = changed
        self.items = items
        self.title = title
        self.follows = follows
        self.readerVersion = readerVersion
        self.options = options
    }
}

/// One JSON file: the common fields and the body of its type, flat in one object.
public struct Record: Hashable, Sendable {
    /// 1.1 added optional fields to import records (`follows`, `readerVersion`, `options`, `title`) and
    /// `source.url`; an attest that reads 1.0 reads them too.
    public static let schemaVersion = "1.1"
    /// Records an attest of major version 1 would misread (approvals, settings that require signatures).
    public static let signingSchemaVersion = "2.0"
    /// The major schema version this attest reads.
    public static let supportedMajor = 2

    /// Indirect: a record is copied into many lists while evaluating, and a boxed body copies as one reference.
    public indirect enum Body: Hashable, Sendable {
        case evidence(Evidence)
        case revocation(Revocation)
        case waiver(Waiver)
        case notApplicable(NotApplicable)
        case review(Review)
        case `import`(ImportRecord)
        case settings(ChecklistSettings)
        case approval(Approval)
    }

    public var schemaVersion: String
    public var id: String
    public var checklist: String
    /// The item the record is about; empty for import and settings records.
    public var item: String?
    public var recordedAt: Date
    /// The person acting.
    public var by: String
    public var body: Body

    public init(id: String, checklist: String, item: String?, recordedAt: Date, by: String, body: Body) {
        self.schemaVersion = Self.schemaVersion(for: body)
        self.id = id
        self.checklist = checklist
        self.item = item
        self.recordedAt = recordedAt
        self.by = by
        self.body = body
    }

    public var type: RecordType { body.type }

    /// 2.0 for what an attest of major version 1 would misread, else 1.1.
    public static func schemaVersion(for body: Body) -> String {
        switch body {
        case .approval: signingSchemaVersion
        case .settings(let settings) where settings.signaturesRequired: signingSchemaVersion
        default: schemaVersion
        }
    }

    /// `ev-20261127T101500Z-1a2b3c4d`: type, UTC time, and 32 random bits, so that two clones never collide.
    public static func makeID(type: RecordType, at date: Date) -> String {
        let random = UInt32.random(in: .min ... .max)
        let hex = String(random, radix: 16)
        return "\(type.idPrefix)-\(Timestamp.compact(date))-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// "Recorded last wins, ties broken by ID."
    public static func isOrderedBefore(_ a: Record, _ b: Record) -> Bool {
        a.recordedAt != b.recordedAt ? a.recordedAt < b.recordedAt : a.id < b.id
    }
}

extension Record.Body {
    /// The `type` field a record with this body carries.
    public var type: RecordType {
        switch self {
        case .evidence: .evidence
        case .revocation: .revocation
        case .waiver: .waiver
        case .notApplicable: .notApplicable
        case .review: .review
        case .import: .import
        case .settings: .settings
        case .approval: .approval
        }
    }
}

extension Record: Codable {
    enum CodingKeys: String, CodingKey {
        case schemaVersion, type, id, checklist, item, recordedAt, by
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(String.self, forKey: .schemaVersion)
        let major = Int(schemaVersion.split(separator: ".").first ?? "") ?? 0
        guard major >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: container, debugDescription: "\"\(schemaVersion)\" is not a schema version such as \"1.0\"")
        }
        if major > Self.supportedMajor { throw NewerSchemaError(version: schemaVersion) }
        let typeName = try container.decode(String.self, forKey: .type)
        guard let type = RecordType(rawValue: typeName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "\"\(typeName.visible)\" is not a record type; use one of \(RecordType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        id = try container.decode(String.self, forKey: .id)
        checklist = try container.decode(String.self, forKey: .checklist)
        item = try container.decodeIfPresent(String.self, forKey: .item)
        recordedAt = try container.decode(Date.self, forKey: .recordedAt)
        by = try container.decode(String.self, forKey: .by)
        switch type {
        case .evidence: body = .evidence(try Evidence(from: decoder))
        case .revocation: body = .revocation(try Revocation(from: decoder))
        case .waiver: body = .waiver(try Waiver(from: decoder))
        case .notApplicable: body = .notApplicable(try NotApplicable(from: decoder))
        case .review: body = .review(try Review(from: decoder))
        case .import: body = .import(try ImportRecord(from: decoder))
        case .settings: body = .settings(try ChecklistSettings(from: decoder))
        case .approval: body = .approval(try Approval(from: decoder))
        }
        if type != .import && type != .settings && (item ?? "").isEmpty {
            throw DecodingError.keyNotFound(
                CodingKeys.item, .init(codingPath: [], debugDescription: "a \(type.rawValue) record names its item"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(type, forKey: .type)
        try container.encode(id, forKey: .id)
        try container.encode(checklist, forKey: .checklist)
        try container.encodeIfPresent(item, forKey: .item)
        try container.encode(recordedAt, forKey: .recordedAt)
        try container.encode(by, forKey: .by)
        switch body {
        case .evidence(let value): try value.encode(to: encoder)
        case .revocation(let value): try value.encode(to: encoder)
        case .waiver(let value): try value.encode(to: encoder)
        case .notApplicable(let value): try value.encode(to: encoder)
        case .review(let value): try value.encode(to: encoder)
        case .import(let value): try value.encode(to: encoder)
        case .settings(let value): try value.encode(to: encoder)
        case .approval(let value): try value.encode(to: encoder)
        }
    }
}

/// A record written by a newer attest than this one.
public struct NewerSchemaError: Error, Sendable {
    public var version: String
}

// Evidence decodes `links`, `attachments` and `references` as optional, so that a record another program
// writes by the schema may leave out what it does not have.
extension Evidence {
    enum CodingKeys: String, CodingKey { case note, links, attachments, references, effective, validUntil }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        note = try container.decodeIfPresent(String.self, forKey: .note)
        links = try container.decodeIfPresent([String].self, forKey: .links) ?? []
        attachments = try container.decodeIfPresent([Attachment].self, forKey: .attachments) ?? []
        references = try container.decodeIfPresent([ExternalReference].self, forKey: .references) ?? []
        effective = try container.decode(Date.self, forKey: .effective)
        validUntil = try container.decodeIfPresent(Date.self, forKey: .validUntil)
    }
}
