/// A calendar date without time or zone, as in `2026-11-26` (plan start and end, gear start and retirement).
public struct LocalDate: Hashable, Comparable, Sendable {
    /// Four-digit year, 1…9999.
    public let year: Int
    /// Month, 1…12.
    public let month: Int
    /// Day of the month, 1…31.
    public let day: Int

    /// Creates a date, or returns nil if it does not exist in the Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), CivilDate(year: year, month: month, day: day).isValid else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    var civil: CivilDate {
        CivilDate(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD` at `offset`; the caller checks what follows.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> LocalDate? {
        guard bytes.count >= offset + 10,
            bytes[offset + 4] == ASCII.hyphen, bytes[offset + 7] == ASCII.hyphen,
            let year = ASCII.decimal(bytes, at: offset, count: 4),
            let month = ASCII.decimal(bytes, at: offset + 5, count: 2),
            let day = ASCII.decimal(bytes, at: offset + 8, count: 2)
        else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }
}

extension LocalDate: LosslessStringConvertible, Codable {
    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ description: String) {
        let parsed = ASCII.withBytes(description) { bytes in
            bytes.count == 10 ? LocalDate.parse(bytes, at: 0) : nil
        }
        guard let parsed else { return nil }
        self = parsed
    }

    public var description: String {
        ASCII.string(capacity: 10) { bytes in
            bytes.appendDecimal(year, width: 4)
            bytes.append(ASCII.hyphen)
            bytes.appendDecimal(month, width: 2)
            bytes.append(ASCII.hyphen)
            bytes.appendDecimal(day, width: 2)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Invalid date: \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
