import Foundation

/// A Codable value stored in a `jsonb` (or `json`) column.
public struct PostgresJSON<Value: Codable & Sendable>: PostgresCodable {
    public let value: Value
    private let json: Data

    /// Encodes `value` now, so that a value JSON cannot represent fails here rather than when it is sent.
    public init(_ value: Value) throws {
        self.value = value
        self.json = try JSONEncoder().encode(value)
    }

    public static var postgresType: PostgresDataType { .jsonb }
    /// jsonb's binary form: version 1, then the JSON text.
    public func encode(into buffer: inout [UInt8]) {
        buffer.append(1)
        buffer.append(contentsOf: json)
    }

    public static func decode(from cell: borrowing PostgresCell) throws -> PostgresJSON<Value> {
        try cell.requireType(.json, .jsonb, for: Value.self)
        let data = Data(try String.decode(from: cell).utf8)
        let value: Value
        do {
            value = try JSONDecoder().decode(Value.self, from: data)
        } catch {
            throw cell.decodingError("JSON does not decode as \(Value.self): \(error)")
        }
        return try PostgresJSON(value)
    }
}
