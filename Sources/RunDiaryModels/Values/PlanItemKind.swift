/// What a plan item prescribes.
public struct PlanItemKind: OpenEnumeration {
    public static let runSession = PlanItemKind(rawValue: "run_session")
    public static let strength = PlanItemKind(rawValue: "strength")
    public static let mobility = PlanItemKind(rawValue: "mobility")
    public static let stretch = PlanItemKind(rawValue: "stretch")

    public static let knownValues: [PlanItemKind] = [.runSession, .strength, .mobility, .stretch]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
