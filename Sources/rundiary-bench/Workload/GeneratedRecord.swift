import Foundation
import RunDiaryModels

/// One new, valid diary record: its kind, id and field values as JSON text, in the order they were made.
struct GeneratedRecord: Sendable {
    let entity: EntityKind
    let id: UUID
    let fields: [Field]

    /// One field's name and its value as JSON text.
    struct Field: Sendable {
        let name: String
        let json: String
    }

    /// The record as an upsert mutation, stamped `hlc` (whose node is the pushing device).
    func mutationJSON(mutationID: Int64, hlc: HLC) -> String {
        var text = "{\"mutation_id\":\(mutationID),\"entity\":\"\(entity.rawValue)\",\"id\":\"\(id.lowercased)\""
        text += ",\"op\":\"upsert\",\"hlc\":\"\(hlc.description)\",\"fields\":{"
        text += fields.map { "\"\($0.name)\":\($0.json)" }.joined(separator: ",")
        text += "}}"
        return text
    }

    /// The row the store writes for this record at `version` (EntityTable.row(for:)): every column of the entity's
    /// table keyed by name, for `jsonb_populate_recordset`.
    func rowJSON(version: Int64, hlc: HLC) -> String {
        let values = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.json) })
        let clock = "\"\(hlc.description)\""
        var columns = [
            "\"id\":\"\(id.lowercased)\"", "\"version\":\(version)", "\"deleted_hlc\":null",
            "\"clocks\":{" + fields.map { "\"\($0.name)\":\(clock)" }.joined(separator: ",") + "}",
            "\"field_versions\":{" + fields.map { "\"\($0.name)\":\(version)" }.joined(separator: ",") + "}",
        ]
        for field in EntitySchema.schema(for: entity).fields {
            let value = values[field.name] ?? "null"
            columns.append("\"\(field.name)\":\(value)")
            if case .timestamp = field.type {
                columns.append("\"\(field.name)_offset_s\":\(value == "null" ? "null" : String(DiaryRecordFactory.utcOffsetSeconds))")
            }
        }
        return "{" + columns.joined(separator: ",") + "}"
    }
}

extension UUID {
    /// The lowercase text form the server stores and sends back.
    var lowercased: String { uuidString.lowercased() }
}
