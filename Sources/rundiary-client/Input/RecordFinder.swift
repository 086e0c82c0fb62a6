import Foundation
import RunDiaryModels
import RunDiarySync

/// Finds a record by what the runner types: a whole id, a unique prefix of at least four characters, `last`, or
/// (for gear and plan items) a name.
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
            guard let latest else { throw ClientFailure("there is no \(entity.rawValue) yet") }
            return latest
        }
        var matches = candidates.filter { $0.id.uuidString.lowercased().hasPrefix(wanted) }
        if wanted.count < 4 || matches.isEmpty {
            matches = candidates.filter { record in
                ["name", "exercise", "title"].contains { record.fields[$0]?.stringValue?.lowercased() == wanted }
            }
        }
        let kind = entity?.rawValue ?? "record"
        switch matches.count {
        case 1: return matches[0]
        case 0: throw ClientFailure("no \(kind) matches \(text)")
        default: throw ClientFailure("\(matches.count) records match \(text); give more of the id")
        }
    }
}
