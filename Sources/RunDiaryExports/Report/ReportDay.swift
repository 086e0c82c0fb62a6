import RunDiaryModels

/// A local calendar day as a day number (days since 1970-01-01), so that weeks and gaps are plain arithmetic.
///
/// Conversions to and from dates are RunDiaryModels' (``LocalDate/daysSinceEpoch``); this type only adds the
/// report's week arithmetic.
struct ReportDay: Hashable, Comparable, Strideable, Sendable {
    let number: Int64

    init(number: Int64) {
        self.number = number
    }

    /// The local day of a timestamp, in the offset it was recorded with.
    init(_ timestamp: Timestamp) {
        number = timestamp.localDaysSinceEpoch
    }

    init(_ date: LocalDate) {
        number = date.daysSinceEpoch
    }

    /// The calendar date; `nil` only outside the years 1…9999, which no stored record reaches.
    var date: LocalDate? {
        LocalDate(daysSinceEpoch: number)
    }

    /// `2026-03-02`, the ISO date.
    var text: String {
        date?.description ?? "day \(number)"
    }

    /// 0 = Monday … 6 = Sunday.
    var weekdayIndex: Int {
        Weekday.isoIndex(daysSinceEpoch: number)
    }

    /// The Monday of this day's ISO week.
    var weekStart: ReportDay {
        ReportDay(number: number - Int64(weekdayIndex))
    }

    /// `Mar 2`, for axis labels.
    var shortLabel: String {
        guard let date else { return text }
        return "\(Self.months[date.month - 1]) \(date.day)"
    }

    /// `2 Mar 2026`, for sentences.
    var longLabel: String {
        guard let date else { return text }
        return "\(date.day) \(Self.months[date.month - 1]) \(date.year)"
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func < (lhs: ReportDay, rhs: ReportDay) -> Bool { lhs.number < rhs.number }
    func distance(to other: ReportDay) -> Int64 { other.number - number }
    func advanced(by n: Int64) -> ReportDay { ReportDay(number: number + n) }
}
