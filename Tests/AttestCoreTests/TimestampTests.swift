import AttestCore
import Foundation
import AttestTestSupport
import Testing

@Suite struct TimestampTests {
    @Test func dayIsAWholeUTCDay() throws {
        let value = try #require(Timestamp.parse("2026-03-31"))
        #expect(Timestamp.format(value.start) == "2026-03-31T00:00:00.000Z")
        #expect(Timestamp.format(value.endExclusive) == "2026-04-01T00:00:00.000Z")
    }

    @Test(arguments: [
        ("2026-11-27T10:15:00Z", "2026-11-27T10:15:00.000Z"),
        ("2026-11-27T10:15:00.25Z", "2026-11-27T10:15:00.250Z"),
        ("2026-11-27T11:15:00+01:00", "2026-11-27T10:15:00.000Z"),
        ("2026-11-27t05:15:00-05:00", "2026-11-27T10:15:00.000Z"),
        ("2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999Z"),
    ])
    func rfc3339(input: String, expected: String) throws {
        let value = try #require(Timestamp.parse(input))
        #expect(Timestamp.format(value.start) == expected)
        #expect(value.start == value.endExclusive)
    }

    @Test(arguments: ["2026-13-01", "2026-02-30", "2025-02-29", "27.11.2026", "2026-11-27T25:00:00Z", "2026-11-27T10:00:00",
                      "2026-11-27T10:00Z", "yesterday", "", "2026-11-27T10:00:00Zjunk"])
    func rejects(input: String) {
        #expect(Timestamp.parse(input) == nil)
    }

    @Test func formatsBeforeTheEpochAndFarAhead() {
        for text in ["1969-12-31T23:59:59.500Z", "2100-01-01T00:00:00.000Z", "2000-02-29T12:00:00.000Z"] {
            #expect(Timestamp.format(Timestamp.parseInstant(text)!) == text)
        }
    }

    @Test func throughShowsTheLastCoveredDay() throws {
        let end = try #require(Timestamp.parse("2027-03-31")).endExclusive
        #expect(Timestamp.through(end) == "2027-03-31")
        #expect(Timestamp.through(Timestamp.parseInstant("2027-03-31T12:30:00Z")!) == "2027-03-31 12:30Z")
    }

    @Test func monthsClampToTheTargetMonth() throws {
        let jan31 = try #require(Timestamp.parseInstant("2026-01-31T08:00:00Z"))
        #expect(Timestamp.format(Interval(1, .month).added(to: jan31)) == "2026-02-28T08:00:00.000Z")
        #expect(Timestamp.format(Interval(1, .year).added(to: Timestamp.parseInstant("2024-02-29")!)) == "2025-02-28T00:00:00.000Z")
        #expect(Timestamp.format(Interval(3, .month).added(to: Timestamp.parseInstant("2026-11-15")!)) == "2027-02-15T00:00:00.000Z")
    }
}

@Suite struct IntervalTests {
    @Test(arguments: [("30d", 30, Interval.Unit.day), ("6w", 6, .week), ("3m", 3, .month), ("1y", 1, .year), (" 2Y ", 2, .year)])
    func parses(text: String, count: Int, unit: Interval.Unit) throws {
        let interval = try #require(Interval(text))
        #expect(interval.count == count && interval.unit == unit)
    }

    @Test(arguments: ["0d", "-1m", "3", "m", "1.5y", "30 days", ""])
    func rejects(text: String) {
        #expect(Interval(text) == nil)
    }

    @Test(arguments: [
        ("Annual testing and documentation of disaster recovery plan", "1y"),
        ("Review access annually", "1y"),
        ("Yearly penetration test", "1y"),
        ("Quarterly access review", "3m"),
        ("Monthly patch report", "1m"),
        ("Weekly backup restore drill", "1w"),
        ("Conducting semi-annual reviews of IAM", "6m"),
        ("Integrating external applications", nil),
    ] as [(String, String?)])
    func impliedByWording(task: String, expected: String?) {
        #expect(Interval.implied(byTask: task)?.description == expected)
    }
}

@Suite struct MillisecondRoundTripTests {
    @Test func everyMillisecondSurvivesFormatAndParse() {
        let base = Timestamp.parseInstant("2026-11-27T10:15:00Z")!.timeIntervalSince1970
        for millis in 0..<1000 {
            let date = Timestamp.truncatedToMilliseconds(Date(timeIntervalSince1970: base + Double(millis) / 1000 + 0.000_4))
            #expect(Timestamp.parseInstant(Timestamp.format(date)) == date)
            #expect(Timestamp.format(date).hasSuffix(String(format: ".%03dZ", millis)))
        }
    }
}
