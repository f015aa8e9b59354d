/// What the customer's letters make of a matrix row.
public enum ItemKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// The customer holds R or A: something the customer must do and prove.
    case obligation
    /// The customer is consulted (C, no R or A).
    case consulted
    /// The customer is only informed (I).
    case informed
    /// The customer has no letter: the provider keeps it.
    case inherited
    /// The matrix itself says the row does not apply.
    case notApplicable = "not-applicable"

    /// Only obligations block the gate.
    public var isRequired: Bool { self == .obligation }

    /// The kind the contract gives to the customer's normalized letters.
    public init(customerLetters letters: String) {
        if letters.contains("R") || letters.contains("A") {
            self = .obligation
        } else if letters.contains("C") {
            self = .consulted
        } else if letters.contains("I") {
            self = .informed
        } else {
            self = .inherited
        }
    }
}

extension ItemKind {
    /// How many of `items` are of each kind, retired items left out; every kind is present.
    public static func counts(of items: some Sequence<ChecklistItem>) -> [ItemKind: Int] {
        var counts = Dictionary(uniqueKeysWithValues: allCases.map { ($0, 0) })
        for item in items where !item.retired { counts[item.kind, default: 0] += 1 }
        return counts
    }
}

/// Where an item stands; the first that applies, in this order.
public enum ItemStatus: String, Codable, Hashable, Sendable, CaseIterable {
    case retired
    case broken
    case notApplicable = "not-applicable"
    case waived
    case complete
    case reconfirm
    case expired
    case pending

    /// Satisfied for the gate: complete, waived or not applicable.
    public var isSatisfied: Bool { self == .complete || self == .waived || self == .notApplicable }
}
