import Foundation
import RunDiaryCommandLine
import RunDiaryModels
import RunDiarySync

/// `--set name=value` read by the schema's type of the field, so that `rpe=6.5`, `is_indoor=yes`,
/// `days_of_week=mon,wed` and `gear_id=3b0f` (an id prefix) all mean what they say.
enum FieldInput {
    static func parse(_ assignment: String, entity: EntityKind, diary: SyncEngine) async throws -> (name: String, value: JSONValue) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw CommandFailure("--set takes name=value, not \(assignment)", exitCode: CommandFailure.usage)
        }
        let name = String(assignment[..<equals]).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
        let text = String(assignment[assignment.index(after: equals)...])
        guard let spec = EntitySchema.schema(for: entity).field(named: name) else {
            return (name, .string(text))  // the engine refuses it with the server's code (unknown_field)
        }
        return (name, try await value(text, of: spec, diary: diary))
    }

    private static func value(_ text: String, of spec: FieldSpec, diary: SyncEngine) async throws -> JSONValue {
        func bad(_ expected: String) -> CommandFailure {
            CommandFailure("\(spec.name) must be \(expected), not \(text)", exitCode: CommandFailure.usage)
        }
        switch spec.type {
        case .string, .timeZone:
            return .string(text)
        case .integer:
            guard let number = Int64(text) else { throw bad("a whole number") }
            return .integer(number)
        case .number:
            guard let number = Double(text) else { throw bad("a number") }
            return .number(number)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "1": return .bool(true)
            case "false", "no", "0": return .bool(false)
            default: throw bad("yes or no")
            }
        case .timestamp:
            guard let timestamp = LocalTime.timestamp(text) else { throw bad("a time such as 2026-11-26 07:30") }
            return .string(timestamp.description)
        case .date:
            if text == "today" { return .string(LocalTime.today().description) }
            guard let date = LocalDate(text) else { throw bad("a date YYYY-MM-DD") }
            return .string(date.description)
        case .reference(let target):
            return .string(try await RecordFinder(diary: diary).find(text, of: target).id.uuidString.lowercased())
        case .enumeration:
            return .string(code(text))
        case .enumerationSet:
            return .array(text.split(separator: ",").map { .string(code(String($0))) })
        }
    }

    /// A code as typed (`after-run`, `After_Run`) in its wire form (`after_run`).
    static func code(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
    }
}
