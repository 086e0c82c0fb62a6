extension LocalDate {
    /// Days since 1970-01-01 (negative before it), in the proleptic Gregorian calendar.
    ///
    /// Day numbers make weeks, gaps and ranges plain arithmetic; the conversion is ``CivilDate``'s, the one
    /// civil-date algorithm of the code base.
    public var daysSinceEpoch: Int64 {
        civil.daysSinceEpoch
    }

    /// The date `days` after 1970-01-01; nil outside the years 1…9999 a `LocalDate` can hold.
    public init?(daysSinceEpoch days: Int64) {
        let civil = CivilDate(daysSinceEpoch: days)
        self.init(year: civil.year, month: civil.month, day: civil.day)
    }
}

extension Timestamp {
    /// The local calendar day of this instant, as days since 1970-01-01: the date in the offset it was recorded with.
    public var localDaysSinceEpoch: Int64 {
        let local = secondsSinceEpoch + Int64(utcOffsetSeconds)
        return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    }
}
