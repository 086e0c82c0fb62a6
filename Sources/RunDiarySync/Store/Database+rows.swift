import Foundation
import GRDB
import RunDiaryModels

extension Database {
    /// The rows of a query built by SQL interpolation: every interpolated value is a bound argument.
    func rows(_ sql: SQL) throws -> [Row] {
        try Row.fetchAll(self, SQLRequest<Row>(literal: sql))
    }

    /// The first row of such a query, if any.
    func row(_ sql: SQL) throws -> Row? {
        try Row.fetchOne(self, SQLRequest<Row>(literal: sql))
    }
}

extension Row {
    /// The `entity` and `id` columns of a record row.
    func recordIdentity() throws -> (entity: EntityKind, id: UUID) {
        guard let entity = EntityKind(rawValue: self["entity"]), let id = UUID(uuidString: self["id"]) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a record row has no valid entity or id")
        }
        return (entity, id)
    }
}

extension UUID {
    /// How the local database stores ids: lowercase text, as the server writes them.
    var key: String {
        uuidString.lowercased()
    }
}

/// JSON text columns: field maps, clocks and mutations exactly as they travel.
enum JSONText {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try JSONDecoder().decode(Value.self, from: Data(text.utf8))
    }
}
