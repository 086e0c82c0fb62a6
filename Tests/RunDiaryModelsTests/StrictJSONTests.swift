import Foundation
import RunDiaryModels
import Testing

@Suite("Strict JSON: request bodies are read once, and what is ambiguous is refused")
struct StrictJSONTests {
    private func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONValue(parsing: Array(text.utf8))
    }

    private func kind(_ bytes: [UInt8]) -> JSONParseError.Kind? {
        do {
            _ = try JSONValue(parsing: bytes)
            return nil
        } catch {
            return error.kind
        }
    }

    private func kind(_ text: String) -> JSONParseError.Kind? { kind(Array(text.utf8)) }

    @Test("values parse as JSONDecoder reads them, integers as integers")
    func values() throws {
        let value = try parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null, "x\"y\\z\/\n\u00e9\ud83c\udfc3"], "b": {}} "#)
        #expect(value == ["a": [1, -2, 3.5, 1000.0, true, false, nil, "x\"y\\z/\né🏃"], "b": [:]])
        guard case .object(let members) = value, case .array(let items)? = members["a"], case .integer = items[0] else {
            Issue.record("1 is not an integer")
            return
        }
        #expect(try parse("9223372036854775807") == .integer(Int64.max))
        #expect(try parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"), "an escaped NUL is valid JSON; the text rule refuses it later")
        // Every generated document round-trips through the hand-written writer.
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let document = Self.randomValue(depth: 0, using: &random)
            var bytes: [UInt8] = []
            document.appendJSON(to: &bytes)
            #expect(try JSONValue(parsing: bytes) == document)
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) == document)
        }
    }

    @Test("malformed JSON is refused: syntax, trailing data, raw control characters, bad escapes, lone surrogates, bad UTF-8")
    func malformed() {
        for text in [
            "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", ".5", "-", "+1", "1e", "NaN", "Infinity", "tru",
            "nul", "\"abc", "{} {}", "[1] x", "\"a\u{1}b\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
            "\"\\ud800\\u0041\"", "{1: 2}", "1e999",
        ] {
            #expect(kind(text) == .malformed, "\(text.debugDescription)")
        }
        for bytes: [UInt8] in [
            [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0x80, 0x22],
        ] {
            #expect(kind(bytes) == .malformed, "\(bytes)")
        }
    }

    @Test("a key twice in one object is refused with its path, at any depth")
    func duplicates() {
        #expect(kind(#"{"a": 1, "a": 2}"#) == .duplicateKey)
        do {
            _ = try parse(#"{"mutations": [{"fields": {"notes": "x", "notes": "y"}}]}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .duplicateKey)
            #expect(error.path == "mutations[0].fields.notes")
        }
        #expect(kind(#"{"a": 1, "b": {"a": 2}}"#) == nil, "the same key in different objects is fine")
        #expect(
            kind(#"{"é": 1, "e\u0301": 2}"#) == .duplicateKey,
            "keys compare as Swift strings: canonically equivalent keys are one key, so two of them are a duplicate")
    }

    @Test("nesting deeper than the limit is refused, at the limit accepted")
    func depth() {
        let limit = JSONValue.maximumDepth
        #expect(kind(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)) == nil)
        #expect(kind(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)) == .tooDeep)
        #expect(kind(String(repeating: "{\"a\":", count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)) == .tooDeep)
        #expect(kind(String(repeating: "[", count: 100_000)) == .tooDeep, "no stack overflow")
    }

    private static func randomValue(depth: Int, using random: inout SystemRandomNumberGenerator) -> JSONValue {
        let choice = Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &random)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &random))
        case 3: return .number(Double.random(in: -1e6...1e6, using: &random))
        case 4:
            let scalars = (0..<Int.random(in: 0..<12, using: &random)).map { _ in
                Unicode.Scalar([0x41, 0x22, 0x5C, 0x0A, 0x01, 0xE9, 0x2028, 0x1F3C3].randomElement(using: &random)!)!
            }
            return .string(String(String.UnicodeScalarView(scalars)))
        case 5:
            return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) })
        default:
            var members: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0..<4, using: &random) {
                members["k\(index)"] = randomValue(depth: depth + 1, using: &random)
            }
            return .object(members)
        }
    }
}
