/// Why a mutation was refused as a whole; the raw value is the wire `code` of a rejected mutation result.
///
/// Validation failures use the ``ValidationCode`` of the first issue, so `missing_field`, `out_of_range` and the
/// rest appear here too. The server may add its own codes.
public struct RejectionCode: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// An upsert reached a deleted record; deletes are terminal.
    public static let recordDeleted = RejectionCode(rawValue: "record_deleted")
    /// The `entity` is not a kind this version knows.
    public static let invalidEntity = RejectionCode(rawValue: "invalid_entity")
    /// The `op` is neither `upsert` nor `delete`.
    public static let invalidOperation = RejectionCode(rawValue: "invalid_op")
    /// The `hlc` is not a clock in canonical text form.
    public static let invalidClock = RejectionCode(rawValue: "invalid_hlc")
    /// The clock is further ahead of the server's time than the server allows; checked by the server.
    public static let clockSkew = RejectionCode(rawValue: "clock_skew")
    /// A reference (`run_id`, `plan_id`, …) names no record of that kind in the user's diary; checked by the server.
    public static let invalidReference = RejectionCode(rawValue: "invalid_reference")
    /// The device already used this mutation id for a different change (or too long ago for the server to compare):
    /// mutation ids start at 1 and only grow. The change was not applied; it is kept with the rejections.
    public static let mutationIDReused = RejectionCode(rawValue: "mutation_id_reused")
    /// The stored state passed in belongs to another record (a caller error).
    public static let recordMismatch = RejectionCode(rawValue: "record_mismatch")

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The rejection code for a validation failure.
    public init(_ code: ValidationCode) {
        self.rawValue = code.rawValue
    }

    public var description: String {
        rawValue
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
