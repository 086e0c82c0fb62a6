/// The dates a running diary can mean: every date and timestamp the service stores lies within them.
///
/// A diary holds runs, pain and rehab of a person's running life; 1900-01-01 … 2099-12-31 (inclusive, by the local
/// date as written) keeps every real entry — an old race typed in from a logbook, a plan that ends next year —
/// and refuses dates that can only be typing or clock errors (year 1, year 9999) with `out_of_range`. Reports and
/// exports do not rely on this bound for their size: they stay small by construction whatever the spread.
public enum DiaryCalendar {
    /// The earliest date the diary accepts.
    public static let earliest = LocalDate(year: 1900, month: 1, day: 1)!
    /// The latest date the diary accepts.
    public static let latest = LocalDate(year: 2099, month: 12, day: 31)!

    /// Whether `date` lies within ``earliest`` … ``latest``.
    public static func contains(_ date: LocalDate) -> Bool {
        date >= earliest && date <= latest
    }

    /// Whether the local date of `timestamp` (in its own UTC offset) lies within ``earliest`` … ``latest``.
    public static func contains(_ timestamp: Timestamp) -> Bool {
        contains(timestamp.localDate)
    }
}

extension Timestamp {
    /// The calendar date of this instant in its own UTC offset.
    public var localDate: LocalDate {
        let civil = CivilDate(daysSinceEpoch: localDaysSinceEpoch)
        // Out of LocalDate's years 1…9999 only for instants no parsed timestamp has; clamp to that range's ends.
        return LocalDate(year: civil.year, month: civil.month, day: civil.day)
            ?? (civil.year < 1 ? LocalDate(year: 1, month: 1, day: 1)! : LocalDate(year: 9999, month: 12, day: 31)!)
    }
}
