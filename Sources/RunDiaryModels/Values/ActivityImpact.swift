/// How pain affected running, after the OSTRC overuse questionnaire; wire `none` is `.noImpact`.
public struct ActivityImpact: OpenEnumeration {
    public static let noImpact = ActivityImpact(rawValue: "none")
    public static let reducedVolume = ActivityImpact(rawValue: "reduced_volume")
    public static let reducedPerformance = ActivityImpact(rawValue: "reduced_performance")
    public static let stopped = ActivityImpact(rawValue: "stopped")

    public static let knownValues: [ActivityImpact] = [.noImpact, .reducedVolume, .reducedPerformance, .stopped]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
