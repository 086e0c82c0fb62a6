import Foundation

/// A record as the server keeps it: each field's value with the clock and server version of its last write.
///
/// Invariant: `fields`, `clocks` and `fieldVersions` have the same keys. A cleared field keeps its key with a
/// `null` value, so its clock still outranks older writes. A tombstone (`deleted` set) holds no fields.
public struct RecordState: Codable, Hashable, Sendable {
    /// The entity kind.
    public var entity: EntityKind
    /// The client-generated record id.
    public var id: UUID
    /// Field values by wire name; `null` for a cleared field.
    public var fields: [String: JSONValue]
    /// The clock of the last write of each field.
    public var clocks: [String: HLC]
    /// The server version at which each field was last written.
    public var fieldVersions: [String: Int64]
    /// The greatest delete clock seen, if the record is deleted.
    public var deleted: HLC?
    /// The server version of the last change to the record.
    public var version: Int64

    /// Creates a record state.
    public init(
        entity: EntityKind,
        id: UUID,
        fields: [String: JSONValue] = [:],
        clocks: [String: HLC] = [:],
        fieldVersions: [String: Int64] = [:],
        deleted: HLC? = nil,
        version: Int64
    ) {
        self.entity = entity
        self.id = id
        self.fields = fields
        self.clocks = clocks
        self.fieldVersions = fieldVersions
        self.deleted = deleted
        self.version = version
    }

    /// Whether the record is a tombstone.
    public var isDeleted: Bool {
        deleted != nil
    }

    enum CodingKeys: String, CodingKey {
        case entity, id, fields, clocks, deleted, version
        case fieldVersions = "field_versions"
    }
}
