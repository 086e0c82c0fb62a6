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
}

extension UUID {
    /// The lowercase text form the server stores and sends back.
    var lowercased: String { uuidString.lowercased() }
}
