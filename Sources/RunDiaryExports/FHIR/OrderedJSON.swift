import RunDiaryModels

/// A JSON value whose object members keep the order they were written in, so that FHIR resources read in the
/// order of the specification (`resourceType` first). Members that are `null`, empty arrays or empty objects are
/// left out when written: FHIR JSON forbids all three.
indirect enum OrderedJSON: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .integer(value) }
    init(floatLiteral value: Double) { self = .number(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: OrderedJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, OrderedJSON)...) { self = .object(elements) }

    init(_ value: String?) { self = value.map(OrderedJSON.string) ?? .null }
    init(_ value: Int?) { self = value.map(OrderedJSON.integer) ?? .null }
    init(_ value: Double?) { self = value.map(OrderedJSON.number) ?? .null }
    init(_ value: Bool?) { self = value.map(OrderedJSON.bool) ?? .null }

    /// Whether the value is left out as an object member.
    var isAbsent: Bool {
        switch self {
        case .null: true
        case .array(let elements): elements.allSatisfy(\.isAbsent)
        case .object(let members): members.allSatisfy { $0.1.isAbsent }
        default: false
        }
    }

    /// The compact JSON text, as UTF-8.
    var bytes: [UInt8] {
        var output: [UInt8] = []
        write(into: &output)
        return output
    }

    /// The compact JSON text.
    var text: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the compact JSON text; strings and numbers are written by RunDiaryModels' JSON writer, the one
    /// escaper of the code base.
    func write(into output: inout [UInt8]) {
        switch self {
        case .null: output += Array("null".utf8)
        case .bool(let value): output += Array((value ? "true" : "false").utf8)
        case .integer(let value): output += Array(String(value).utf8)
        case .number(let value): JSONValue.appendNumber(value, to: &output)
        case .string(let value): JSONValue.appendString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            var first = true
            for element in elements where !element.isAbsent {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                element.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in members where !value.isAbsent {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                JSONValue.appendString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                value.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }
}
