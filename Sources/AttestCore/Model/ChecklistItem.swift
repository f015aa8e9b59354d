public import Foundation

/// One row of the imported matrix.
public struct ChecklistItem: Codable, Hashable, Sendable {
    /// `ACCS-07`: prefix and a number that is never reused.
    public var id: String
    public var number: Int
    /// The nearest heading above the table, or empty.
    public var section: String
    /// Plain task text: markup and tokens removed.
    public var task: String
    /// Normalized section and task: how re-imports match rows.
    public var key: String
    /// Each party's name as the matrix's header spells it, to its normalized letters (`RA`, `C`, ``).
    public var responsibility: [String: String]
    /// The customer's normalized letters.
    public var customerLetters: String
    public var kind: ItemKind
    /// How often evidence must be renewed, when the task's wording says so.
    public var reviewInterval: Interval?
    /// Footnotes and the source's wording for not-applicable rows.
    public var notes: [String]
    /// The row is gone from the matrix (kept so that its records and number stay).
    public var retired: Bool
    /// When the customer's letters last changed (or the item appeared): evidence from before does not count.
    public var lettersChangedAt: Date
    /// 1-based line of the row in the source file, where known.
    public var sourceLine: Int?
    /// True when the row came from a table whose one column names the responsible party (no A to expect).
    public var singleColumn: Bool?
    /// The provided capability this duty goes with (OSCAL: the responsibility's `provided-uuid`); encoded only when present.
    public var inherits: String?

    public init(
        id: String, number: Int, section: String, task: String, key: String, responsibility: [String: String],
        customerLetters: String, kind: ItemKind, reviewInterval: Interval?, notes: [String], retired: Bool = false,
        lettersChangedAt: Date, sourceLine: Int?, singleColumn: Bool? = nil, inherits: String? = nil
    ) {
        self.id = id
        self.number = number
        self.section = section
        self.task = task
        self.key = key
        self.responsibility = responsibility
        self.customerLetters = customerLetters
        self.kind = kind
        self.reviewInterval = reviewInterval
        self.notes = notes
        self.retired = retired
        self.lettersChangedAt = lettersChangedAt
        self.sourceLine = sourceLine
        self.singleColumn = singleColumn
        self.inherits = inherits
    }

    public var isRequired: Bool { kind.isRequired && !retired }

    /// `applying-patches-to-supporting-services`: what commands match a partial item name against.
    public var slug: String { Self.slug(task) }

    public static func slug(_ text: String) -> String {
        var result = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                if pendingDash && !result.isEmpty { result.append("-") }
                pendingDash = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return result
    }
}
