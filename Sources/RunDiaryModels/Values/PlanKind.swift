/// Whether a plan is for training or rehabilitation.
public struct PlanKind: OpenEnumeration {
    public static let training = PlanKind(rawValue: "training")
    public static let rehab = PlanKind(rawValue: "rehab")

    public static let knownValues: [PlanKind] = [.training, .rehab]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
