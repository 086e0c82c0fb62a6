import Foundation
import RunDiaryCommandLine
import RunDiaryModels
import RunDiarySync

/// Finds a record by what the runner types: a whole id, a unique prefix of at least four characters, `last`, or
/// a name (of shoes, an exercise or a plan), whole or its unique beginning, in any case.
struct RecordFinder {
    let diary: SyncEngine

    func find(_ text: String, of entity: EntityKind? = nil) async throws -> LocalRecord {
        let wanted = text.trimmingCharacters(in: .whitespaces).lowercased()
        let kinds = entity.map { [$0] } ?? EntityKind.allCases
        var candidates: [LocalRecord] = []
        for kind in kinds { candidates += try await diary.records(kind) }

        if wanted == "last", let entity {
            let field = EntitySchema.schema(for: entity).fields.first { $0.type == .timestamp }?.name
            let latest = candidates.max { a, b in
                (a.fields[field ?? ""]?.stringValue.flatMap(Timestamp.init) ?? Timestamp(.distantPast))
                    < (b.fields[field ?? ""]?.stringValue.flatMap(Timestamp.init) ?? Timestamp(.distantPast))
            }
            guard let latest else { throw CommandFailure("there is no \(entity.rawValue) yet") }
            return latest
        }
        var matches = wanted.count < 4 ? [] : candidates.filter { $0.id.uuidString.lowercased().hasPrefix(wanted) }
        if matches.isEmpty { matches = candidates.filter { name(of: $0) == wanted } }
        if matches.isEmpty { matches = candidates.filter { name(of: $0)?.hasPrefix(wanted) == true } }
        let kind = entity?.rawValue ?? "record"
        switch matches.count {
        case 1: return matches[0]
        case 0: throw CommandFailure("no \(kind) matches \(text)")
        default: throw CommandFailure("\(matches.count) records match \(text); give more of the id")
        }
    }

    /// The record's name in lowercase: `name` of gear, `exercise` of a plan item, `title` of others.
    private func name(of record: LocalRecord) -> String? {
        ["name", "exercise", "title"].lazy.compactMap { record.fields[$0]?.stringValue?.lowercased() }.first
    }
}
