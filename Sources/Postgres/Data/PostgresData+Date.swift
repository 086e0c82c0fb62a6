import Foundation

/// PostgreSQL counts time from 2000-01-01 00:00:00 UTC.
private let postgresEpoch = Date(timeIntervalSince1970: 946_684_800)

extension Date: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .timestamptz }
    public static var postgresArrayType: PostgresDataType { .timestamptzArray }

    /// Sent as microseconds in binary, so neither the server's DateStyle nor its TimeZone plays a part.
    public func encode(into buffer: inout [UInt8]) {
        let micros = (timeIntervalSince(postgresEpoch) * 1_000_000).rounded()
        buffer.appendBigEndian(Int64(micros))
    }

    /// Decodes timestamptz, timestamp (taken as UTC) and date (midnight UTC). ±infinity is an error.
    public static func decode(from cell: borrowing PostgresCell) throws -> Date {
        try cell.withBytes(for: Date.self) { bytes in
            switch (cell.type, bytes.count) {
            case (.timestamptz, 8), (.timestamp, 8):
                let micros = bytes.bigEndian(Int64.self, at: 0)
                guard micros != .max, micros != .min else { throw cell.decodingError("infinite timestamp") }
                return postgresEpoch.addingTimeInterval(Double(micros) / 1_000_000)
            case (.date, 4):
                let days = bytes.bigEndian(Int32.self, at: 0)
                guard days != .max, days != .min else { throw cell.decodingError("infinite date") }
                return postgresEpoch.addingTimeInterval(Double(days) * 86_400)
            default:
                throw cell.decodingError("cannot decode \(cell.type) as Date")
            }
        }
    }
}
