import Foundation

extension JSONValue {
    /// Appends this value as compact JSON text (UTF-8), with object keys in sorted order.
    ///
    /// A hand-written writer for hot paths (a pull page holds thousands of values): it produces the same JSON as
    /// `JSONEncoder` without going through `Encoder`. Non-finite numbers, which JSON cannot hold and validation never
    /// accepts, are written as `null`.
    public func appendJSON(to bytes: inout [UInt8]) {
        switch self {
        case .null:
            bytes.append(contentsOf: "null".utf8)
        case .bool(let value):
            bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value):
            bytes.append(contentsOf: String(value).utf8)
        case .number(let value):
            Self.appendNumber(value, to: &bytes)
        case .string(let value):
            Self.appendString(value, to: &bytes)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                value.appendJSON(to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.appendString(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                members[key]!.appendJSON(to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends a JSON number: integral values without a fraction, others in Swift's shortest round-trip form.
    public static func appendNumber(_ value: Double, to bytes: inout [UInt8]) {
        guard value.isFinite else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        if let integral = Int64(exactly: value) {
            bytes.append(contentsOf: String(integral).utf8)
        } else {
            bytes.append(contentsOf: "\(value)".utf8)
        }
    }

    /// Appends a JSON string literal, escaping quotes, backslashes, control characters and U+2028/U+2029.
    ///
    /// The line and paragraph separators are valid in JSON strings but end a line in JavaScript before ES2019, so
    /// JSON that may be pasted into a script or an HTML page (the exports) stays safe; every JSON writer uses this.
    public static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8: the lead bytes are held until the third tells.
        var held = 0
        for byte in value.utf8 {
            if held == 2, byte == 0xA8 || byte == 0xA9 {
                bytes.append(contentsOf: (byte == 0xA8 ? #"\u2028"# : #"\u2029"#).utf8)
                held = 0
                continue
            }
            if held == 1, byte == 0x80 {
                held = 2
                continue
            }
            if held > 0 {
                bytes.append(contentsOf: [0xE2, 0x80].prefix(held))
                held = 0
            }
            if byte == 0xE2 {
                held = 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        if held > 0 { bytes.append(contentsOf: [0xE2, 0x80].prefix(held)) }
        bytes.append(UInt8(ascii: "\""))
    }
}
