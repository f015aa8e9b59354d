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
        var task = task
        if let ascii = task.withUTF8(impliedByASCII) { return ascii }
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

    /// The same rule on ASCII text, word by word without allocating (it runs once per row of a matrix of
    /// 10^5 rows); `.some(nil)` when no word implies an interval, nil when the text is not ASCII.
    private static func impliedByASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Interval?? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var rank = 0  // 5 semi-annual, 4 annual, 3 quarterly, 2 monthly, 1 weekly
        var start = 0
        for end in 0...bytes.count {
            let byte: UInt8 = end < bytes.count ? bytes[end] | 0x20 : 0
            if end < bytes.count && ((0x61...0x7A).contains(byte) || bytes[end] == UInt8(ascii: "-")) { continue }
            if end > start { rank = max(rank, wordRank(UnsafeBufferPointer(rebasing: bytes[start..<end]))) }
            start = end + 1
        }
        switch rank {
        case 5: return .some(Interval(6, .month))
        case 4: return .some(Interval(1, .year))
        case 3: return .some(Interval(3, .month))
        case 2: return .some(Interval(1, .month))
        case 1: return .some(Interval(1, .week))
        default: return .some(nil)
        }
    }

    private static let rankedWords: [(word: [UInt8], rank: Int)] = [
        ("semi-annual", 5), ("semi-annually", 5), ("semiannual", 5), ("biannual", 5), ("half-yearly", 5),
        ("annual", 4), ("annually", 4), ("yearly", 4), ("quarterly", 3), ("monthly", 2), ("weekly", 1),
    ].map { (Array($0.0.utf8), $0.1) }

    /// A word's rank (compared in lowercase), 0 for any other word.
    private static func wordRank(_ word: UnsafeBufferPointer<UInt8>) -> Int {
        guard (6...13).contains(word.count) else { return 0 }
        for (candidate, rank) in rankedWords where candidate.count == word.count
            && zip(candidate, word).allSatisfy({ $0 == ($1 == UInt8(ascii: "-") ? $1 : $1 | 0x20) }) {
            return rank
        }
        return 0
    }
}
