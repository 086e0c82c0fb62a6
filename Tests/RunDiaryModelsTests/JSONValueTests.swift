import Foundation
import RunDiaryModels
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    private func decode(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("integral numbers decode as integers, others as numbers")
    func numbers() throws {
        #expect(try decode("42") == .integer(42))
        #expect(try decode("-7") == .integer(-7))
        #expect(try decode("9223372036854775807") == .integer(.max))
        if case .number(let value) = try decode("2.5") { #expect(value == 2.5) } else { Issue.record("2.5") }
        if case .number = try decode("1e30") {} else { Issue.record("1e30 must be a number") }
        if case .integer = try decode("3") {} else { Issue.record("3 must be an integer") }
    }

    @Test("booleans stay booleans and are not numbers")
    func booleans() throws {
        #expect(try decode("true") == .bool(true))
        #expect(try decode("false") == .bool(false))
        #expect(try decode("1") != .bool(true))
    }

    @Test("integers and numbers with the same value are equal and hash alike")
    func numericEquality() {
        #expect(JSONValue.integer(1) == .number(1.0))
        #expect(JSONValue.number(2.5) != .integer(2))
        #expect(Set<JSONValue>([.integer(1), .number(1.0)]).count == 1)
        #expect(JSONValue.string("1") != .integer(1))
    }

    @Test("nested values survive encoding and decoding")
    func nested() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": [:]]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(try decode(#"{"a":[1,2.5,"x",null,true],"b":{"c":{}}}"#) == value)
    }

    @Test("accessors answer only for their own type")
    func accessors() {
        #expect(JSONValue.integer(3).numberValue == 3)
        #expect(JSONValue.number(3.5).integerValue == nil)
        #expect(JSONValue.string("x").boolValue == nil)
        #expect(JSONValue.null.isNull)
        #expect(JSONValue.array([]).typeName == "array")
    }
}
