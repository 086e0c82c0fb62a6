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

    /// The compact JSON text.
    var text: String {
        var output = ""
        write(into: &output)
        return output
    }

    func write(into output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .number(let value): output += value.isFinite ? NumberText.format(value) : "null"
        case .string(let value): Self.writeString(value, into: &output)
        case .array(let elements):
            output += "["
            var first = true
            for element in elements where !element.isAbsent {
                if !first { output += "," }
                first = false
                element.write(into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            var first = true
            for (key, value) in members where !value.isAbsent {
                if !first { output += "," }
                first = false
                Self.writeString(key, into: &output)
                output += ":"
                value.write(into: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ value: String, into output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
