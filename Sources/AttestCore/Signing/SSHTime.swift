public import Foundation

/// The times of `allowed_signers` (`valid-after`, `valid-before`) and of `-Overify-time`: whole seconds,
/// written `YYYYMMDD[HHMM[SS]]Z`. attest requires the `Z` (UTC); ssh-keygen would read a time without it in
/// the local time zone, so the same file would mean different things on different machines.
public enum SSHTime {
    /// Seconds since 1970 of `YYYYMMDDZ`, `YYYYMMDDHHMMZ` or `YYYYMMDDHHMMSSZ`; nil, with the reason, otherwise.
    static func parse(_ text: [UInt8]) -> Result<Int64, TimeError> {
        guard let last = text.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") else {
            return .failure(.missingZ)
        }
        let digits = text.dropLast()
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return .failure(.format)
        }
        func number(_ start: Int, _ length: Int) -> Int {
            digits.dropFirst(start).prefix(length).reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        let year = number(0, 4), month = number(4, 2), day = number(6, 2)
        let hour = digits.count >= 12 ? number(8, 2) : 0
        let minute = digits.count >= 12 ? number(10, 2) : 0
        let second = digits.count == 14 ? number(12, 2) : 0
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            return .failure(.outOfRange)
        }
        let seconds = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
            + Int64(hour * 3600 + minute * 60 + second)
        // OpenSSH refuses times before 1970 and treats 0 as "no time".
        guard seconds > 0 else { return .failure(.outOfRange) }
        return .success(seconds)
    }

    enum TimeError: Error {
        case missingZ, format, outOfRange

        var message: String {
            switch self {
            case .missingZ: "the time has no Z: write it in UTC as YYYYMMDD[HHMM[SS]]Z (ssh-keygen would read it in the local time zone)"
            case .format: "the time is not YYYYMMDD[HHMM[SS]]Z"
            case .outOfRange: "the time is not a real date and time after 1970-01-01"
            }
        }
    }

    /// `-Overify-time` of an instant: `YYYYMMDDHHMMSSZ`, truncated to the second.
    public static func verifyTime(_ date: Date) -> String { format(date, "%04d%02d%02d%02d%02d%02dZ") }

    /// An instant truncated to the whole second, as ssh-keygen compares times.
    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// `2026-11-27T14:30:00Z`: how attest shows a validity time.
    public static func display(_ date: Date) -> String { format(date, "%04d-%02d-%02dT%02d:%02d:%02dZ") }

    /// Year, month, day, hour, minute and second (UTC) through a format with six integers.
    private static func format(_ date: Date, _ pattern: String) -> String {
        let seconds = seconds(date)
        let days = Int(floorDivide(seconds, 86_400))
        let rest = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = civil(fromDays: days)
        return String(format: pattern, year, month, day, rest / 3600, rest / 60 % 60, rest % 60)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
