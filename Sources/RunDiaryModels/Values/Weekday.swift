/// A day of the week on which a plan item is scheduled.
public struct Weekday: OpenEnumeration {
    public static let monday = Weekday(rawValue: "mon")
    public static let tuesday = Weekday(rawValue: "tue")
    public static let wednesday = Weekday(rawValue: "wed")
    public static let thursday = Weekday(rawValue: "thu")
    public static let friday = Weekday(rawValue: "fri")
    public static let saturday = Weekday(rawValue: "sat")
    public static let sunday = Weekday(rawValue: "sun")

    public static let knownValues: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday, .sunday]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}

extension Weekday {
    /// 0 = Monday … 6 = Sunday, the ISO order of ``knownValues``, of a day number (days since 1970-01-01, a
    /// Thursday): the one weekday rule of the code base, on ``LocalDate/daysSinceEpoch``'s calendar.
    public static func isoIndex(daysSinceEpoch days: Int64) -> Int {
        Int(((days + 3) % 7 + 7) % 7)
    }

    /// The day of the week of a day number (days since 1970-01-01).
    public init(daysSinceEpoch days: Int64) {
        self = Weekday.knownValues[Weekday.isoIndex(daysSinceEpoch: days)]
    }

    /// 0 = Monday … 6 = Sunday; `nil` for a code this version does not know.
    public var index: Int? {
        Weekday.knownValues.firstIndex(of: self)
    }
}

extension LocalDate {
    /// The day of the week of this date.
    public var weekday: Weekday {
        Weekday(daysSinceEpoch: daysSinceEpoch)
    }
}
