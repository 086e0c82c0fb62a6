import Foundation
import GRDB

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
