import AttestCore
import Foundation
import Testing

/// Dates are years 0001–9999: what the format holds, so attest never writes what it cannot read back.
@Suite struct TimestampRangeTests {
    @Test(arguments: ["0001-01-01", "0001-01-01T00:00:00Z", "9999-12-31", "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999+00:00",
                      "0001-01-01T00:30:00-01:00"])
    func edgesOfTheRangeParse(_ text: String) throws {
        let value = try #require(Timestamp.parse(text))
        #expect(Timestamp.isRepresentable(value.start))
        #expect(Timestamp.parse(Timestamp.format(value.start))?.start == value.start)
    }

    @Test(arguments: ["0000-01-01", "0000-12-31T23:59:59Z", "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "9999-12-31T23:59:60Z"])
    func instantsOutsideTheRangeAreNotDates(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
        #expect(Timestamp.isOutsideRange(text))
    }

    @Test func aDayBoundEndingInYear10000IsOutsideTheRange() throws {
        let lastDay = try #require(Timestamp.parse("9999-12-31"))
        #expect(!Timestamp.isRepresentable(lastDay.endExclusive))
        #expect(Timestamp.isRepresentable(lastDay.asOf))
        #expect(try #require(Timestamp.parse("9999-12-30")).endExclusive == Timestamp.parseInstant("9999-12-31T00:00:00Z"))
    }

    /// Arithmetic near the ends (a validity of a year from 9999-06-01) and values no input gives are written
    /// as the nearest end, never as `10000-…` or a negative year, and never trap.
    @Test(arguments: [Double.infinity, -Double.infinity, Double.nan, 1e300, -1e300, 253_402_300_800, -62_135_596_801])
    func formatWritesOnlyWhatParseReads(_ seconds: Double) throws {
        let text = Timestamp.format(Date(timeIntervalSince1970: seconds))
        #expect(Timestamp.parse(text) != nil, "\(text)")
        #expect(text == "9999-12-31T23:59:59.999Z" || text == "0001-01-01T00:00:00.000Z")
    }
}
