import Foundation

/// The text form `<UTC YYYY-MM-DDTHH:MM:SS.sssZ>-<counter, 4 uppercase hex>-<node, lowercase UUID>`.
///
/// Example: `2026-11-26T13:45:19.123Z-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60`. Every part has a fixed width,
/// so comparing two clock strings byte by byte gives the clock order. Only this canonical spelling parses.
extension HLC: LosslessStringConvertible, Codable {
    static let textLength = 66
    private static let counterOffset = 25
    private static let nodeOffset = 30
    private static let uppercaseHex = Array("0123456789ABCDEF".utf8)

    public init?(_ description: String) {
        guard let clock = ASCII.withBytes(description, Self.parse) else { return nil }
        self = clock
    }

    public var description: String {
        ASCII.string(capacity: Self.textLength, write)
    }

    /// Appends the text form to `bytes` (the JSON writers' way to it, without a string per clock).
    public func appendText(to bytes: inout [UInt8]) {
        ASCII.append(capacity: Self.textLength, to: &bytes, write)
    }

    private func write(_ bytes: inout ASCII.Writer) {
        let millisOfDay = Int(physicalMillis % 86_400_000)
        bytes.appendDateTime(daysSinceEpoch: physicalMillis / 86_400_000, secondOfDay: millisOfDay / 1000)
        bytes.append(ASCII.dot)
        bytes.appendDecimal(millisOfDay % 1000, width: 3)
        bytes.append(ASCII.letterZ)
        bytes.append(ASCII.hyphen)
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(Self.uppercaseHex[Int(counter >> UInt16(shift)) & 0xF])
        }
        bytes.append(ASCII.hyphen)
        bytes.appendUUID(node)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let clock = HLC(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Invalid HLC: \(text)")
        }
        self = clock
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> HLC? {
        guard bytes.count == textLength,
            bytes[4] == ASCII.hyphen, bytes[7] == ASCII.hyphen, bytes[10] == ASCII.letterT,
            bytes[13] == ASCII.colon, bytes[16] == ASCII.colon, bytes[19] == ASCII.dot,
            bytes[23] == ASCII.letterZ, bytes[24] == ASCII.hyphen, bytes[29] == ASCII.hyphen,
            let year = ASCII.decimal(bytes, at: 0, count: 4), year >= 1970,
            let month = ASCII.decimal(bytes, at: 5, count: 2),
            let day = ASCII.decimal(bytes, at: 8, count: 2),
            let hour = ASCII.decimal(bytes, at: 11, count: 2), hour < 24,
            let minute = ASCII.decimal(bytes, at: 14, count: 2), minute < 60,
            let second = ASCII.decimal(bytes, at: 17, count: 2), second < 60,
            let millis = ASCII.decimal(bytes, at: 20, count: 3)
        else { return nil }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid else { return nil }

        var counter: UInt16 = 0
        for index in counterOffset..<(counterOffset + 4) {
            guard let digit = ASCII.hexDigit(bytes[index], uppercase: true) else { return nil }
            counter = counter << 4 | UInt16(digit)
        }

        guard let node = ASCII.uuid(bytes, at: nodeOffset, allowingUppercase: false) else { return nil }
        let timeOfDay = Int64(((hour * 60 + minute) * 60 + second) * 1000 + millis)
        return HLC(physicalMillis: date.daysSinceEpoch * 86_400_000 + timeOfDay, counter: counter, node: node)
    }
}
