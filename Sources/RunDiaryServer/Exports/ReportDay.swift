import RunDiaryModels

/// A local calendar day as a day number (days since 1970-01-01), so that weeks and gaps are plain arithmetic.
struct ReportDay: Hashable, Comparable, Strideable {
    let number: Int

    init(number: Int) {
        self.number = number
    }

    /// The local day of a timestamp, in the offset it was recorded with.
    init(_ timestamp: Timestamp) {
        let local = timestamp.secondsSinceEpoch + Int64(timestamp.utcOffsetSeconds)
        number = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    init(_ date: LocalDate) {
        // Howard Hinnant's days_from_civil.
        let year = date.month <= 2 ? date.year - 1 : date.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        number = era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date.
    var date: LocalDate {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return LocalDate(year: year, month: month, day: day)!
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    var weekdayIndex: Int {
        ((number + 3) % 7 + 7) % 7
    }

    /// The Monday of this day's ISO week.
    var weekStart: ReportDay {
        ReportDay(number: number - weekdayIndex)
    }

    /// `Mar 2`, for axis labels.
    var shortLabel: String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let date = date
        return "\(months[date.month - 1]) \(date.day)"
    }

    static func < (lhs: ReportDay, rhs: ReportDay) -> Bool { lhs.number < rhs.number }
    func distance(to other: ReportDay) -> Int { other.number - number }
    func advanced(by n: Int) -> ReportDay { ReportDay(number: number + n) }
}

extension Weekday {
    /// 0 = Monday … 6 = Sunday; `nil` for a code this version does not know.
    var index: Int? {
        Weekday.knownValues.firstIndex(of: self)
    }
}
