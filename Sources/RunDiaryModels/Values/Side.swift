/// Which side of the body pain is on; `none` (`.notApplicable`) for midline sites such as the low back.
public struct Side: OpenEnumeration {
    public static let left = Side(rawValue: "left")
    public static let right = Side(rawValue: "right")
    public static let both = Side(rawValue: "both")
    public static let notApplicable = Side(rawValue: "none")

    public static let knownValues: [Side] = [.left, .right, .both, .notApplicable]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
