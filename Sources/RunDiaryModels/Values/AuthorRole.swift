/// Who wrote a plan; wire `self` (the runner) is `.runner`.
public struct AuthorRole: OpenEnumeration {
    public static let runner = AuthorRole(rawValue: "self")
    public static let physicalTherapist = AuthorRole(rawValue: "physical_therapist")
    public static let coach = AuthorRole(rawValue: "coach")

    public static let knownValues: [AuthorRole] = [.runner, .physicalTherapist, .coach]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
