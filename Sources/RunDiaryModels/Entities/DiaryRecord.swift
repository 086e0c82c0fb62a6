import Foundation

/// A typed diary record: its wire form is the record's fields plus `id`, with snake_case names.
///
/// Conversions to and from the field map of mutations and pulled changes go through JSON, so they apply exactly
/// the wire encoding. Unknown fields (from a newer server) are ignored when decoding a typed record.
public protocol DiaryRecord: Codable, Hashable, Sendable, Identifiable where ID == UUID {
    /// The entity kind of the record type.
    static var entity: EntityKind { get }
    /// The client-generated record id.
    var id: UUID { get }
}

extension DiaryRecord {
    /// The schema of the record type.
    public static var schema: EntitySchema {
        EntitySchema.schema(for: entity)
    }

    /// Decodes a record from the fields of a change or a stored record.
    public init(id: UUID, fields: [String: JSONValue]) throws {
        var object = fields
        object["id"] = .string(id.uuidString.lowercased())
        self = try JSONDecoder().decode(Self.self, from: JSONEncoder().encode(JSONValue.object(object)))
    }

    /// The set fields as a wire map (without `id`), as an upsert creating the record would send them;
    /// references are lowercase, the form the server stores.
    public func fields() throws -> [String: JSONValue] {
        guard case .object(let object) = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(self))
        else { return [:] }
        let schema = Self.schema
        var fields: [String: JSONValue] = [:]
        for (name, value) in object where name != "id" {
            fields[name] = schema.field(named: name)?.canonical(value) ?? value
        }
        return fields
    }
}
