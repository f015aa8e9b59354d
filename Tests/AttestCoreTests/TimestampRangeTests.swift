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

    /// Found by the dates fuzzer: a Double holds an instant of year 2245 only to about 2 µs, so truncating
    /// to milliseconds wrote `….233Z` for a `….234Z` read back. Formatting rounds to the nearest millisecond.
    @Test(arguments: ["2245-11-27T08:45:00.234Z", "2026-11-27T23:59:59.999Z", "9999-12-31T23:59:59.999Z", "9876-05-04T03:02:01.001Z"])
    func formattedInstantsReadBackAsThemselves(_ text: String) throws {
        #expect(Timestamp.format(try #require(Timestamp.parse(text)).start) == text)
    }

    @Test func everyMillisecondOfASecondInYear9999ReadsBack() throws {
        for millis in 0..<1000 {
            let text = "9999-12-31T23:59:59." + String(format: "%03d", millis) + "Z"
            #expect(Timestamp.format(try #require(Timestamp.parse(text)).start) == text)
        }
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
