/// Where pain is felt.
public struct BodySite: OpenEnumeration {
    public static let hip = BodySite(rawValue: "hip")
    public static let groin = BodySite(rawValue: "groin")
    public static let thigh = BodySite(rawValue: "thigh")
    public static let knee = BodySite(rawValue: "knee")
    public static let shin = BodySite(rawValue: "shin")
    public static let calf = BodySite(rawValue: "calf")
    public static let achilles = BodySite(rawValue: "achilles")
    public static let ankle = BodySite(rawValue: "ankle")
    public static let foot = BodySite(rawValue: "foot")
    public static let lowBack = BodySite(rawValue: "low_back")
    public static let other = BodySite(rawValue: "other")

    public static let knownValues: [BodySite] = [.hip, .groin, .thigh, .knee, .shin, .calf, .achilles, .ankle, .foot, .lowBack, .other]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
