import Foundation
import RunDiaryModels
import Testing

/// Loads the JSON fixtures that are the wire contract for clients.
enum Fixture {
    static func data(_ name: String) throws -> Data {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
            "missing fixture \(name).json"
        )
        return try Data(contentsOf: url)
    }

    /// Decodes the fixture, re-encodes it, decodes that again, and checks both decodings are equal.
    static func roundTrip<Value: Codable & Equatable>(_ name: String, as type: Value.Type) throws -> Value {
        let decoded = try JSONDecoder().decode(Value.self, from: data(name))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let again = try JSONDecoder().decode(Value.self, from: encoder.encode(decoded))
        #expect(again == decoded, "\(name).json does not survive a round trip")
        return decoded
    }

    /// The fixture as a JSON value, to compare with what the library encodes.
    static func json(_ name: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data(name))
    }
}
