/// What pain feels like.
public struct PainQuality: OpenEnumeration {
    public static let aching = PainQuality(rawValue: "aching")
    public static let sharp = PainQuality(rawValue: "sharp")
    public static let stabbing = PainQuality(rawValue: "stabbing")
    public static let burning = PainQuality(rawValue: "burning")
    public static let throbbing = PainQuality(rawValue: "throbbing")
    public static let cramping = PainQuality(rawValue: "cramping")
    public static let tingling = PainQuality(rawValue: "tingling")
    public static let stiffness = PainQuality(rawValue: "stiffness")

    public static let knownValues: [PainQuality] = [.aching, .sharp, .stabbing, .burning, .throbbing, .cramping, .tingling, .stiffness]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
