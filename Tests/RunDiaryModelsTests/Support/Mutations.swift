import Foundation
import RunDiaryModels

/// Shorthands for building mutations in merge tests.
extension Mutation {
    static func upsert(
        _ id: UUID,
        at hlc: HLC,
        base: Int64? = nil,
        _ fields: [String: JSONValue],
        entity: EntityKind = .run,
        number: Int64 = 1
    ) -> Mutation {
        Mutation(mutationID: number, entity: entity, id: id, op: .upsert, hlc: hlc, baseVersion: base, fields: fields)
    }

    static func delete(_ id: UUID, at hlc: HLC, entity: EntityKind = .run, number: Int64 = 1) -> Mutation {
        Mutation(mutationID: number, entity: entity, id: id, op: .delete, hlc: hlc)
    }
}

extension MergeResult {
    /// The rejection, if the mutation was rejected.
    var rejection: MergeRejection? {
        if case .rejected(let rejection) = outcome { return rejection }
        return nil
    }

    /// The resolution of one field.
    func resolution(of field: String) -> FieldResolution? {
        fieldResults.first { $0.field == field }?.resolution
    }
}
