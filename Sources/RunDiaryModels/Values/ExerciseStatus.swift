/// Whether a logged exercise was done.
public struct ExerciseStatus: OpenEnumeration {
    public static let done = ExerciseStatus(rawValue: "done")
    public static let partial = ExerciseStatus(rawValue: "partial")
    public static let skipped = ExerciseStatus(rawValue: "skipped")

    public static let knownValues: [ExerciseStatus] = [.done, .partial, .skipped]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
