/// Where a plan is in its life.
public struct PlanStatus: OpenEnumeration {
    public static let draft = PlanStatus(rawValue: "draft")
    public static let active = PlanStatus(rawValue: "active")
    public static let completed = PlanStatus(rawValue: "completed")
    public static let cancelled = PlanStatus(rawValue: "cancelled")

    public static let knownValues: [PlanStatus] = [.draft, .active, .completed, .cancelled]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
