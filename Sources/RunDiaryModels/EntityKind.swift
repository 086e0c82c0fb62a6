/// The kinds of record a diary holds; the raw value is the wire name.
public enum EntityKind: String, CaseIterable, Codable, Sendable {
    case run
    case painEntry = "pain_entry"
    case plan
    case planItem = "plan_item"
    case exerciseLog = "exercise_log"
    case gear
}
