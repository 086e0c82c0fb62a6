/// What a run was on. Kept alongside `is_indoor`, because sources record treadmill running in different ways.
public struct Surface: OpenEnumeration {
    public static let road = Surface(rawValue: "road")
    public static let trail = Surface(rawValue: "trail")
    public static let track = Surface(rawValue: "track")
    public static let treadmill = Surface(rawValue: "treadmill")
    public static let grass = Surface(rawValue: "grass")
    public static let mixed = Surface(rawValue: "mixed")

    public static let knownValues: [Surface] = [.road, .trail, .track, .treadmill, .grass, .mixed]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
