public import Foundation

/// A calendar interval: `30d`, `6w`, `3m`, `1y`.
public struct Interval: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Unit: String, Sendable, CaseIterable {
        case day = "d", week = "w", month = "m", year = "y"
    }

    public var count: Int
    public var unit: Unit

    public init(_ count: Int, _ unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// Parses `30d`, `6w`, `3m`, `1y` (a positive whole number and one unit letter).
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = trimmed.last, let unit = Unit(rawValue: String(last)),
              let count = Int(trimmed.dropLast()), count > 0, count <= 10_000
        else { return nil }
        self.init(count, unit)
    }

    public var description: String { "\(count)\(unit.rawValue)" }

    /// The date `self` after `date`, in UTC calendar terms.
    public func added(to date: Date) -> Date {
        switch unit {
        case .day: date.addingTimeInterval(Double(count) * 86_400)
        case .week: date.addingTimeInterval(Double(count) * 7 * 86_400)
        case .month: Timestamp.addingMonths(count, to: date)
        case .year: Timestamp.addingMonths(count * 12, to: date)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        // In a record, only the form the schema states: `^[1-9][0-9]*[dwmy]$` (what attest writes).
        guard let value = Interval(text), value.description == text else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not an interval such as 30d, 6w, 3m or 1y")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The review interval a task's wording implies (`annual` 1y, `quarterly` 3m, `monthly` 1m, `weekly` 1w).
    public static func implied(byTask task: String) -> Interval? {
        let words = Set(task.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "-" }).map(String.init))
        if !words.isDisjoint(with: ["semi-annual", "semi-annually", "semiannual", "biannual", "half-yearly"]) {
            return Interval(6, .month)
        }
        if !words.isDisjoint(with: ["annual", "annually", "yearly"]) { return Interval(1, .year) }
        if words.contains("quarterly") { return Interval(3, .month) }
        if words.contains("monthly") { return Interval(1, .month) }
        if words.contains("weekly") { return Interval(1, .week) }
        return nil
    }
}
