import Foundation

/// An instant with the UTC offset it was recorded in, as in `2026-11-26T07:30:00+01:00`.
///
/// The wire form is ISO 8601 / RFC 3339 with a mandatory offset (`Z` or `±HH:MM`) and optional fractional
/// seconds (up to nine digits). The offset is kept because the diary cares about local time: a run at 07:30
/// is a morning run wherever the instant falls in UTC. Equality and order compare the instant and the offset.
public struct Timestamp: Hashable, Sendable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int64
    /// Fractional part, in nanoseconds (`0..<1_000_000_000`).
    public let nanoseconds: Int32
    /// Offset from UTC in seconds at which the instant was recorded.
    public let utcOffsetSeconds: Int32

    /// The UTC offsets a diary's timestamps may be written with: ±18:00, which holds every offset a time zone has
    /// ever had (today's extremes are -12:00 and +14:00). The store's `<field>_offset_s` columns have the same CHECK.
    public static let utcOffsetRange: ClosedRange<Int32> = -64_800...64_800

    /// Creates a timestamp at `date` (years 1…9999 in local time), written with `utcOffsetSeconds`; the fraction
    /// is kept to the microsecond.
    public init(_ date: Date, utcOffsetSeconds: Int32 = 0) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = (micros / 1_000_000).rounded(.down)
        self.secondsSinceEpoch = Int64(seconds)
        self.nanoseconds = Int32(micros - seconds * 1_000_000) * 1000
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// The instant.
    public var date: Date {
        Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch) + TimeInterval(nanoseconds) / 1_000_000_000)
    }
}

extension Timestamp: Comparable {
    /// Orders by instant; at the same instant, by offset, so that the order is total and consistent with `==`.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds, lhs.utcOffsetSeconds)
            < (rhs.secondsSinceEpoch, rhs.nanoseconds, rhs.utcOffsetSeconds)
    }
}

extension Timestamp: LosslessStringConvertible, Codable {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; a timestamp without an offset is rejected.
    public init?(_ description: String) {
        guard let timestamp = ASCII.withBytes(description, Self.parse) else { return nil }
        self = timestamp
    }

    /// The canonical text: fraction in groups of 3 digits (none if zero), `Z` for a zero offset.
    public var description: String {
        ASCII.string(capacity: 35) { bytes in
            let days = localDaysSinceEpoch
            let secondOfDay = Int(secondsSinceEpoch + Int64(utcOffsetSeconds) - days * 86_400)
            bytes.appendDateTime(daysSinceEpoch: days, secondOfDay: secondOfDay)
            if nanoseconds != 0 {
                bytes.append(ASCII.dot)
                if nanoseconds % 1_000_000 == 0 {
                    bytes.appendDecimal(Int(nanoseconds) / 1_000_000, width: 3)
                } else if nanoseconds % 1000 == 0 {
                    bytes.appendDecimal(Int(nanoseconds) / 1000, width: 6)
                } else {
                    bytes.appendDecimal(Int(nanoseconds), width: 9)
                }
            }
            if utcOffsetSeconds == 0 {
                bytes.append(ASCII.letterZ)
            } else {
                bytes.append(utcOffsetSeconds < 0 ? ASCII.hyphen : ASCII.plus)
                let minutes = Int(abs(utcOffsetSeconds)) / 60
                bytes.appendDecimal(minutes / 60, width: 2)
                bytes.append(ASCII.colon)
                bytes.appendDecimal(minutes % 60, width: 2)
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let timestamp = Timestamp(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Invalid timestamp: \(text)")
        }
        self = timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private init(secondsSinceEpoch: Int64, nanoseconds: Int32, utcOffsetSeconds: Int32) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = nanoseconds
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard bytes.count >= 20,
            bytes[10] == ASCII.letterT, bytes[13] == ASCII.colon, bytes[16] == ASCII.colon,
            let date = LocalDate.parse(bytes, at: 0),
            let hour = ASCII.decimal(bytes, at: 11, count: 2), hour < 24,
            let minute = ASCII.decimal(bytes, at: 14, count: 2), minute < 60,
            let second = ASCII.decimal(bytes, at: 17, count: 2), second < 60
        else { return nil }

        var index = 19
        var nanoseconds = 0
        if bytes[index] == ASCII.dot {
            index += 1
            let start = index
            while index < bytes.count, index - start < 9, let digit = ASCII.decimal(bytes, at: index, count: 1) {
                nanoseconds = nanoseconds * 10 + digit
                index += 1
            }
            let digits = index - start
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanoseconds *= 10 }
        }

        let offset: Int
        guard index < bytes.count else { return nil }
        if bytes[index] == ASCII.letterZ {
            offset = 0
            index += 1
        } else {
            let sign = bytes[index]
            guard sign == ASCII.plus || sign == ASCII.hyphen, bytes.count == index + 6,
                bytes[index + 3] == ASCII.colon,
                let offsetHours = ASCII.decimal(bytes, at: index + 1, count: 2), offsetHours < 24,
                let offsetMinutes = ASCII.decimal(bytes, at: index + 4, count: 2), offsetMinutes < 60
            else { return nil }
            let magnitude = (offsetHours * 60 + offsetMinutes) * 60
            offset = sign == ASCII.plus ? magnitude : -magnitude
            index += 6
        }
        guard index == bytes.count else { return nil }

        let localSeconds = date.civil.daysSinceEpoch * 86_400 + Int64((hour * 60 + minute) * 60 + second)
        return Timestamp(
            secondsSinceEpoch: localSeconds - Int64(offset),
            nanoseconds: Int32(nanoseconds),
            utcOffsetSeconds: Int32(offset)
        )
    }
}
