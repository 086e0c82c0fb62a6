/// A stable, machine-readable reason a field value was refused; the raw value is the wire code.
///
/// A struct rather than an enum so later versions can add codes without breaking clients that switch on them.
public struct ValidationCode: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// A required field is absent from a create, or set to `null`.
    public static let missingField = ValidationCode(rawValue: "missing_field")
    /// A number, integer or date lies outside its range (dates: ``DiaryCalendar``), or breaks an order rule such as
    /// `moving_s` ≤ `elapsed_s`.
    public static let outOfRange = ValidationCode(rawValue: "out_of_range")
    /// A value of the right JSON type that is not acceptable: an unknown code, a malformed timestamp, date, UUID
    /// or time zone, a blank title, a repeated set element, or text holding a character the service does not
    /// accept (see ``AcceptedText``).
    public static let invalidValue = ValidationCode(rawValue: "invalid_value")
    /// The JSON type is wrong (a string where an integer belongs, a fraction for an integer field, …).
    public static let invalidType = ValidationCode(rawValue: "invalid_type")
    /// A string has more characters than its limit.
    public static let tooLong = ValidationCode(rawValue: "too_long")
    /// The entity has no field of that name.
    public static let unknownField = ValidationCode(rawValue: "unknown_field")
    /// The field is set by the server only (`id`, `user_id`, `version`, server timestamps).
    public static let readOnlyField = ValidationCode(rawValue: "read_only_field")

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
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
