import Foundation
import RunDiaryModels
import Testing

@Suite("Timestamp and LocalDate")
struct TimestampTests {
    @Test("keeps the instant and the offset")
    func offset() throws {
        let stamp = try #require(Timestamp("2026-11-26T07:30:00+01:00"))
        #expect(stamp.secondsSinceEpoch == 1_795_674_600)
        #expect(stamp.utcOffsetSeconds == 3600)
        #expect(stamp.description == "2026-11-26T07:30:00+01:00")
        #expect(stamp.date == Date(timeIntervalSince1970: 1_795_674_600))
        let utc = try #require(Timestamp("2026-11-26T06:30:00Z"))
        #expect(utc.date == stamp.date)
        #expect(utc != stamp)
    }

    @Test("fractions of up to nine digits, printed in groups of three")
    func fractions() throws {
        #expect(Timestamp("2026-11-26T07:30:00.5-05:30")?.description == "2026-11-26T07:30:00.500-05:30")
        #expect(Timestamp("2026-11-26T07:30:00.123456Z")?.nanoseconds == 123_456_000)
        #expect(Timestamp("2026-11-26T07:30:00.123456789Z")?.description == "2026-11-26T07:30:00.123456789Z")
        #expect(Timestamp("1969-12-31T23:59:59.250Z")?.description == "1969-12-31T23:59:59.250Z")
    }

    @Test(
        "rejects timestamps without an offset or with impossible parts",
        arguments: [
            "2026-11-26T07:30:00", "2026-11-26 07:30:00Z", "2026-11-26T07:30Z", "2026-11-26T07:30:00.Z",
            "2026-11-26T07:30:00.1234567890Z", "2026-13-01T00:00:00Z", "2027-02-29T00:00:00Z",
            "2026-11-26T07:60:00Z", "2026-11-26T07:30:00+0100", "2026-11-26T07:30:00+01", "2026-11-26T07:30:00z",
            "2026-11-26T07:30:00+24:00", "2026-11-26",
        ]
    )
    func rejects(_ text: String) {
        #expect(Timestamp(text) == nil)
    }

    @Test("a Date round-trips to the microsecond")
    func fromDate() {
        let date = Date(timeIntervalSince1970: 1_795_674_600.123456)
        let stamp = Timestamp(date, utcOffsetSeconds: -18_000)
        #expect(stamp.description == "2026-11-26T01:30:00.123456-05:00")
        #expect(abs(stamp.date.timeIntervalSince(date)) < 0.000_001)
    }

    @Test("dates parse only as YYYY-MM-DD of a real day")
    func dates() throws {
        #expect(LocalDate("2028-02-29") == LocalDate(year: 2028, month: 2, day: 29))
        #expect(LocalDate("2027-02-29") == nil)
        #expect(LocalDate("2027-1-05") == nil)
        #expect(LocalDate("2027-01-05T00:00:00Z") == nil)
        #expect(LocalDate("0000-01-01") == nil)
        #expect(try #require(LocalDate("2026-12-31")) < #require(LocalDate("2027-01-01")))
        #expect(LocalDate(year: 2026, month: 1, day: 5)?.description == "2026-01-05")
    }

    @Test("a date's weekday is the calendar's, before 1970 too")
    func weekdays() throws {
        #expect(try #require(LocalDate("1970-01-01")).weekday == .thursday)
        #expect(try #require(LocalDate("2026-11-30")).weekday == .monday)
        #expect(try #require(LocalDate("2028-02-29")).weekday == .tuesday)
        #expect(try #require(LocalDate("1969-12-28")).weekday == .sunday)
        #expect(try #require(LocalDate("1900-01-01")).weekday == .monday)
        #expect(Weekday.sunday.index == 6)
        #expect(Weekday(rawValue: "someday").index == nil)
    }
}
