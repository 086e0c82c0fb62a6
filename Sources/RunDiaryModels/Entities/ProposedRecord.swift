import Foundation

/// A record an import proposes: an upsert of these wire fields of this id.
///
/// `RunDiaryImport` reads them from watch and Strava files; whoever applies them (a client engine's
/// `importRecords`, or the server's `POST /v1/import`) compares them with what it stores to decide whether the file
/// was imported, updated or unchanged. One type for all three, so the three can never disagree on what a proposal is.
public struct ProposedRecord: Sendable, Hashable {
    public var entity: EntityKind
    /// Name-based, so that reading the same source again names the same record.
    public var id: UUID
    /// Wire fields, valid for `EntitySchema.schema(for: entity)`.
    public var fields: [String: JSONValue]

    public init(entity: EntityKind, id: UUID, fields: [String: JSONValue]) {
        self.entity = entity
        self.id = id
        self.fields = fields
    }
}
