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
