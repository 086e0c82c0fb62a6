import Foundation
import RunDiaryModels
import Testing

@testable import RunDiaryStore

@Suite("Dates read from the database")
struct StoredDateTests {
    @Test(arguments: ["1970-01-01", "2000-02-29", "2026-11-26", "2026-12-31", "1969-12-31", "1900-03-01", "2400-02-29"])
    func civilDayMatchesTheCalendar(text: String) throws {
        let day = try #require(LocalDate(text))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let midnight = try #require(calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)))
        #expect(try LocalDate.utcDay(of: midnight) == day)
        #expect(try LocalDate.utcDay(of: midnight.addingTimeInterval(86_399)) == day)
    }
}
