import Foundation

/// Byte-level helpers for the fixed-layout text formats of clocks, timestamps and dates.
enum ASCII {
    static let hyphen = UInt8(ascii: "-")
    static let colon = UInt8(ascii: ":")
    static let dot = UInt8(ascii: ".")
    static let plus = UInt8(ascii: "+")
    static let letterT = UInt8(ascii: "T")
    static let letterZ = UInt8(ascii: "Z")

    /// The decimal value of `count` digits starting at `offset`, or nil if any byte is not a digit.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, count: Int) -> Int? {
        var value = 0
        for index in offset..<(offset + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// The value of one hexadecimal digit; uppercase or lowercase as allowed.
    static func hexDigit(_ byte: UInt8, uppercase: Bool) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F") where uppercase: byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f") where !uppercase: byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// The UUID in the 36 bytes from `offset` (8-4-4-4-12 hex digits; uppercase digits only when allowed), or nil.
    static func uuid(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, allowingUppercase: Bool) -> UUID? {
        guard bytes.count - offset >= 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for index in 0..<36 {
            let byte = bytes[offset + index]
            switch index {
            case 8, 13, 18, 23:
                guard byte == hyphen else { return nil }
            default:
                guard let digit = hexDigit(byte, uppercase: false) ?? (allowingUppercase ? hexDigit(byte, uppercase: true) : nil)
                else { return nil }
                if digits < 16 {
                    high = high << 4 | UInt64(digit)
                } else {
                    low = low << 4 | UInt64(digit)
                }
                digits += 1
            }
        }
        return UUID(orderKey: (high, low))
    }

    static let lowercaseHex = Array("0123456789abcdef".utf8)

    /// Builds a string of at most `capacity` ASCII bytes in place, without an intermediate array.
    static func string(capacity: Int, _ write: (inout Writer) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = Writer(buffer: buffer)
            write(&writer)
            return writer.count
        }
    }

    /// Appends at most `capacity` ASCII bytes to `bytes` in place, without an intermediate string.
    static func append(capacity: Int, to bytes: inout [UInt8], _ write: (inout Writer) -> Void) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: capacity))
        let written = bytes.withUnsafeMutableBufferPointer { all in
            var writer = Writer(buffer: UnsafeMutableBufferPointer(rebasing: all[start...]))
            write(&writer)
            return writer.count
        }
        bytes.removeLast(capacity - written)
    }

    /// Writes ASCII bytes into a string's (or an array's) storage.
    struct Writer {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        private(set) var count = 0

        init(buffer: UnsafeMutableBufferPointer<UInt8>) {
            self.buffer = buffer
        }

        mutating func append(_ byte: UInt8) {
            buffer[count] = byte
            count += 1
        }

        /// Appends `uuid` in its lowercase 36-character text form.
        mutating func appendUUID(_ uuid: UUID) {
            withUnsafeBytes(of: uuid.uuid) { uuidBytes in
                for (index, byte) in uuidBytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 { append(ASCII.hyphen) }
                    append(ASCII.lowercaseHex[Int(byte >> 4)])
                    append(ASCII.lowercaseHex[Int(byte & 0xF)])
                }
            }
        }

        /// Appends `YYYY-MM-DDTHH:MM:SS`: the civil date of a day counted from 1970-01-01 and a second of that day
        /// (the leading part of a timestamp's and a clock's text).
        mutating func appendDateTime(daysSinceEpoch days: Int64, secondOfDay: Int) {
            let date = CivilDate(daysSinceEpoch: days)
            appendDecimal(date.year, width: 4)
            append(ASCII.hyphen)
            appendDecimal(date.month, width: 2)
            append(ASCII.hyphen)
            appendDecimal(date.day, width: 2)
            append(ASCII.letterT)
            appendDecimal(secondOfDay / 3600, width: 2)
            append(ASCII.colon)
            appendDecimal(secondOfDay / 60 % 60, width: 2)
            append(ASCII.colon)
            appendDecimal(secondOfDay % 60, width: 2)
        }

        /// Appends the magnitude of `value` as exactly `width` decimal digits, zero-padded; callers keep values
        /// in range, and one that is not yields unparsable text rather than a trap.
        mutating func appendDecimal(_ value: Int, width: Int) {
            var remainder = value.magnitude
            for index in stride(from: count + width - 1, through: count, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(remainder % 10)
                remainder /= 10
            }
            count += width
        }
    }

    /// Runs `body` over the UTF-8 bytes of `text` without copying when the string is native.
    static func withBytes<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) {
            return result
        }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }
}
