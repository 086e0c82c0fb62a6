/// The unit of an exercise load.
public struct LoadUnit: OpenEnumeration {
    public static let kilograms = LoadUnit(rawValue: "kg")
    public static let pounds = LoadUnit(rawValue: "lb")
    public static let band = LoadUnit(rawValue: "band")
    public static let bodyweight = LoadUnit(rawValue: "bodyweight")

    public static let knownValues: [LoadUnit] = [.kilograms, .pounds, .band, .bodyweight]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
