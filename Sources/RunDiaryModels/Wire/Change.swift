import Foundation

/// The current state of one changed record in a pull; a deleted record comes as a tombstone without fields.
public struct Change: Codable, Hashable, Sendable {
    /// The entity kind.
    public var entity: EntityKind
    /// The record id.
    public var id: UUID
    /// The server version of the record's last change.
    public var version: Int64
    /// Whether the record is deleted.
    public var deleted: Bool
    /// The field values (`null` for cleared fields); empty for a tombstone.
    public var fields: [String: JSONValue]
    /// The clock of each field's last write, for the client's own merge; read from either wire form
    /// (``ClockForm``).
    public var clocks: [String: HLC]

    public init(
        entity: EntityKind,
        id: UUID,
        version: Int64,
        deleted: Bool,
        fields: [String: JSONValue],
        clocks: [String: HLC]
    ) {
        self.entity = entity
        self.id = id
        self.version = version
        self.deleted = deleted
        self.fields = fields
        self.clocks = clocks
    }

    /// The change that describes a stored record.
    public init(_ state: RecordState) {
        self.init(
            entity: state.entity,
            id: state.id,
            version: state.version,
            deleted: state.isDeleted,
            fields: state.fields,
            clocks: state.clocks
        )
    }

    enum CodingKeys: String, CodingKey {
        case entity, id, version, deleted, fields, clock, clocks
    }

    /// Reads either clock form: with `clock`, the fields `clocks` leaves out have that clock.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let fields = try container.decode([String: JSONValue].self, forKey: .fields)
        self.init(
            entity: try container.decode(EntityKind.self, forKey: .entity),
            id: try container.decode(UUID.self, forKey: .id),
            version: try container.decode(Int64.self, forKey: .version),
            deleted: try container.decode(Bool.self, forKey: .deleted),
            fields: fields,
            clocks: Self.fieldClocks(
                fields: fields, clock: try container.decodeIfPresent(HLC.self, forKey: .clock),
                clocks: try container.decode([String: HLC].self, forKey: .clocks)))
    }

    /// Writes the per-field form (``ClockForm/perField``), the record id in lowercase, the form PostgreSQL and the
    /// clocks use.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entity, forKey: .entity)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(version, forKey: .version)
        try container.encode(deleted, forKey: .deleted)
        try container.encode(fields, forKey: .fields)
        try container.encode(clocks, forKey: .clocks)
    }
}
