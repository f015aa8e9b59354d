public import Foundation

/// Dates as the contract writes them: `YYYY-MM-DD` (a UTC day) or RFC 3339.
///
/// Parsing and formatting are written out by hand: records hold several timestamps each and a
/// large workspace has 10^5 records, so this is on the hot path of every read.
public enum Timestamp {
    /// A parsed command-line date: a whole UTC day or an instant.
    public enum Value: Hashable, Sendable {
        case day(Date)
        case instant(Date)

        /// The start: the day's 00:00:00Z, or the instant.
        public var start: Date {
            switch self {
            case .day(let date), .instant(let date): date
            }
        }

        /// The last instant an `--as-of` covers: records are stored to the millisecond, so a day's last
        /// instant is 23:59:59.999Z; an instant stands for itself.
        public var asOf: Date {
            switch self {
            case .day(let date): date.addingTimeInterval(86_400 - 0.001)
            case .instant(let date): date
            }
        }

        /// As an upper bound a day lasts until the next day's 00:00:00Z (exclusive).
        public var endExclusive: Date {
            switch self {
            case .day(let date): date.addingTimeInterval(86_400)
            case .instant(let date): date
            }
        }
    }

    /// The first instant attest reads and writes: 0001-01-01T00:00:00Z.
    public static let earliest = Date(timeIntervalSince1970: Double(epochSeconds(1, 1, 1)))
    /// The first instant past what the format holds: 10000-01-01T00:00:00Z (exclusive).
    public static let end = Date(timeIntervalSince1970: Double(epochSeconds(10_000, 1, 1)))

    /// How messages name the range: "the dates attest can record (years 0001 to 9999)".
    public static let rangeDescription = "the dates attest can record (years 0001 to 9999)"

    /// Whether `date` lies in years 0001–9999, the instants `format` writes and `parse` reads back.
    public static func isRepresentable(_ date: Date) -> Bool {
        date >= earliest && date < end
    }

    /// Parses `YYYY-MM-DD` or RFC 3339 (`2026-11-27T10:15:00Z`, `…T10:15:00.250+01:00`). Instants outside
    /// years 0001–9999 (year 0000, or an offset that moves the instant past either end) are not dates here.
    public static func parse(_ text: String) -> Value? {
        guard let value = parseAnyYear(text), isRepresentable(value.start) else { return nil }
        return value
    }

    /// Whether `text` is written like a date but lies outside years 0001–9999 (`0000-06-01`,
    /// `0001-01-01T00:00:00+01:00`), so that messages can say so instead of "not a date".
    public static func isOutsideRange(_ text: String) -> Bool {
        parse(text) == nil && parseAnyYear(text) != nil
    }

    private static func parseAnyYear(_ text: String) -> Value? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, let (y, m, d) = parseDay(bytes), isValid(y, m, d) else { return nil }
        let dayStart = epochSeconds(y, m, d)
        if bytes.count == 10 { return .day(Date(timeIntervalSince1970: Double(dayStart))) }
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
              let hh = number(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"),
              let mm = number(bytes, 14, 2), bytes[16] == UInt8(ascii: ":"),
              let ss = number(bytes, 17, 2), hh < 24, mm < 60, ss < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var numerator = 0
            var denominator = 1
            let digitsStart = index
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                if denominator < 1_000_000_000 {
                    numerator = numerator * 10 + digit
                    denominator *= 10
                }
                index += 1
            }
            if index == digitsStart { return nil }
            fraction = Double(numerator) / Double(denominator)
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, let oh = number(bytes, index + 1, 2), bytes[index + 3] == UInt8(ascii: ":"),
                  let om = number(bytes, index + 4, 2), oh < 24, om < 60
            else { return nil }
            offset = (oh * 3600 + om * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        return .instant(Date(timeIntervalSince1970: Double(dayStart + hh * 3600 + mm * 60 + ss - offset) + fraction))
    }

    /// The instant as stored: whole milliseconds (what `format` writes and `parse` reads back exactly).
    public static func truncatedToMilliseconds(_ date: Date) -> Date {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let millis = ((date.timeIntervalSince1970 - seconds) * 1000 + 0.000_1).rounded(.down)
        return Date(timeIntervalSince1970: seconds + millis / 1000)
    }

    /// Parses a stored instant (any RFC 3339 form, or a bare day as its start).
    public static func parseInstant(_ text: String) -> Date? { parse(text)?.start }

    /// An instant in a record: only the form the schemas state,
    /// `^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?$`
    /// (RFC 3339 also allows a space or lower-case `t` and `z`, which no schema validator would accept).
    public static func parseRecordInstant(_ text: String) -> Date? {
        isRecordInstant(Array(text.utf8)) ? parseInstant(text) : nil
    }

    static func isRecordInstant(_ bytes: [UInt8]) -> Bool {
        func digits(_ range: Range<Int>) -> Bool { range.upperBound <= bytes.count && bytes[range].allSatisfy { (48...57).contains($0) } }
        func byte(_ index: Int, _ value: Character) -> Bool { index < bytes.count && bytes[index] == value.asciiValue! }
        guard digits(0..<4), byte(4, "-"), digits(5..<7), byte(7, "-"), digits(8..<10) else { return false }
        if bytes.count == 10 { return true }
        guard byte(10, "T"), digits(11..<13), byte(13, ":"), digits(14..<16), byte(16, ":"), digits(17..<19) else { return false }
        var index = 19
        if byte(index, ".") {
            index += 1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            if index == start { return false }
        }
        if byte(index, "Z") { return index + 1 == bytes.count }
        guard byte(index, "+") || byte(index, "-") else { return false }
        return digits((index + 1)..<(index + 3)) && byte(index + 3, ":") && digits((index + 4)..<(index + 6)) && index + 6 == bytes.count
    }

    /// `2026-11-27T10:15:00.250Z`: the form every record stores (UTC, milliseconds). It writes only what
    /// `parse` reads back, and what it wrote formats the same once read back:
    /// - the instant is rounded to the nearest millisecond (a Double holds an instant of year 2245 only to
    ///   about 2 µs, so truncating `….234Z` read back could write `….233Z`; the fuzzer found that);
    /// - a date outside years 0001–9999 (which input never gives, but arithmetic on one near the ends can:
    ///   a validity of a year from 9999-06-01) is written as the nearest end, 0001-01-01T00:00:00.000Z or
    ///   9999-12-31T23:59:59.999Z.
    public static func format(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: 24) { buffer in
            write(date, into: buffer.baseAddress!)
            return 24
        }
    }

    /// `format(date)`'s 24 bytes appended to `bytes`, without a string in between (reports write 10^5 of them).
    public static func append(_ date: Date, to bytes: inout ByteBuffer) {
        bytes.write(atMost: 24) { out in
            write(date, into: out)
            return 24
        }
    }

    /// `format`'s 24 bytes, written at `out`.
    private static func write(_ date: Date, into out: UnsafeMutablePointer<UInt8>) {
        let lowest = Int64(epochSeconds(1, 1, 1)) * 1000
        let highest = Int64(epochSeconds(10_000, 1, 1)) * 1000 - 1
        let scaled = (date.timeIntervalSince1970 * 1000).rounded(.toNearestOrAwayFromZero)
        var millis = scaled.isNaN || scaled < Double(lowest) ? lowest : scaled > Double(highest) ? highest : Int64(scaled)
        let ms = Int(((millis % 1000) + 1000) % 1000)
        millis -= Int64(ms)
        let (day, secondOfDay) = splitDay(Int(millis / 1000))
        let (y, m, d) = civil(fromDays: day)
        func digits(_ value: Int, _ width: Int, at offset: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                out[index] = UInt8(truncatingIfNeeded: 48 + value % 10)
                value /= 10
            }
        }
        digits(y, 4, at: 0); out[4] = UInt8(ascii: "-"); digits(m, 2, at: 5); out[7] = UInt8(ascii: "-"); digits(d, 2, at: 8)
        out[10] = UInt8(ascii: "T"); digits(secondOfDay / 3600, 2, at: 11); out[13] = UInt8(ascii: ":")
        digits(secondOfDay / 60 % 60, 2, at: 14); out[16] = UInt8(ascii: ":"); digits(secondOfDay % 60, 2, at: 17)
        out[19] = UInt8(ascii: "."); digits(ms, 3, at: 20); out[23] = UInt8(ascii: "Z")
    }

    /// `2026-11-27T10:15:00` (UTC, no zone, no fraction): the JUnit `timestamp` form.
    public static func formatSeconds(_ date: Date) -> String {
        String(format(date).prefix(19))
    }

    /// `2026-11-27`.
    public static func formatDay(_ date: Date) -> String { String(format(date).prefix(10)) }

    /// A compact UTC stamp for record IDs: `20261127T101500Z`.
    public static func compact(_ date: Date) -> String {
        let text = format(date)
        return text.prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
    }

    /// An exclusive end as people read it: the last day it covers when it falls on midnight UTC
    /// (`--until 2027-03-31` ends at 2027-04-01T00:00Z and reads "2027-03-31"), else minutes.
    public static func through(_ end: Date) -> String {
        let text = format(end)
        if text.hasSuffix("T00:00:00.000Z") { return formatDay(end.addingTimeInterval(-86_400)) }
        return human(end)
    }

    /// A date as people read it in reports: the day when it is midnight UTC, else minutes.
    public static func human(_ date: Date) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            let text = buffer.baseAddress!
            write(date, into: text)
            if isMidnight(text) { return String(decoding: UnsafeBufferPointer(start: text, count: 10), as: UTF8.self) }
            text[10] = 0x20
            text[16] = UInt8(ascii: "Z")
            return String(decoding: UnsafeBufferPointer(start: text, count: 17), as: UTF8.self)
        }
    }

    /// Whether `format`'s 24 bytes at `text` end in `T00:00:00.000Z`.
    private static func isMidnight(_ text: UnsafePointer<UInt8>) -> Bool {
        (11..<23).allSatisfy { text[$0] == ($0 == 13 || $0 == 16 ? UInt8(ascii: ":") : $0 == 19 ? UInt8(ascii: ".") : 48) }
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, UTC)

    static func epochSeconds(_ y: Int, _ m: Int, _ d: Int) -> Int { days(fromCivil: y, m, d) * 86_400 }

    static func splitDay(_ seconds: Int) -> (day: Int, second: Int) {
        let day = Int((Double(seconds) / 86_400).rounded(.down))
        return (day, seconds - day * 86_400)
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func isValid(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        guard (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= lengths[m - 1]
    }

    /// Adds calendar months, clamping the day to the target month's length (Jan 31 + 1m = Feb 28).
    static func addingMonths(_ months: Int, to date: Date) -> Date {
        let total = Int((date.timeIntervalSince1970).rounded(.down))
        let fraction = date.timeIntervalSince1970 - Double(total)
        let (day, second) = splitDay(total)
        let (y, m, d) = civil(fromDays: day)
        let index = y * 12 + (m - 1) + months
        let ny = Int((Double(index) / 12).rounded(.down))
        let nm = index - ny * 12 + 1
        var nd = d
        while !isValid(ny, nm, nd) { nd -= 1 }
        return Date(timeIntervalSince1970: Double(days(fromCivil: ny, nm, nd) * 86_400 + second) + fraction)
    }

    private static func parseDay(_ b: [UInt8]) -> (Int, Int, Int)? {
        guard let y = number(b, 0, 4), b[4] == UInt8(ascii: "-"), let m = number(b, 5, 2), b[7] == UInt8(ascii: "-"),
              let d = number(b, 8, 2)
        else { return nil }
        return (y, m, d)
    }

    private static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var value = 0
        for i in start..<(start + count) {
            guard let digit = digitValue(b[i]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= 48 && byte <= 57 ? Int(byte - 48) : nil
    }
}
