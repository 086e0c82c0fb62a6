/// When pain is felt relative to running; during-run and next-morning pain drive the pain-monitoring model.
public struct PainTiming: OpenEnumeration {
    public static let beforeRun = PainTiming(rawValue: "before_run")
    public static let duringRun = PainTiming(rawValue: "during_run")
    public static let afterRun = PainTiming(rawValue: "after_run")
    public static let laterSameDay = PainTiming(rawValue: "later_same_day")
    public static let nextMorning = PainTiming(rawValue: "next_morning")
    public static let atRest = PainTiming(rawValue: "at_rest")

    public static let knownValues: [PainTiming] = [.beforeRun, .duringRun, .afterRun, .laterSameDay, .nextMorning, .atRest]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
