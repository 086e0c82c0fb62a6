/// The type and limits of a record field; each maps to one typed database column of the field's name.
public enum FieldType: Hashable, Sendable {
    /// A string of at most `maxLength` Unicode scalars (code points, as PostgreSQL's `char_length` counts them).
    case string(maxLength: Int)
    /// A JSON integer within the range.
    case integer(ClosedRange<Int64>)
    /// A JSON number (integer or fraction) within the range.
    case number(ClosedRange<Double>)
    /// A JSON Boolean.
    case boolean
    /// An ISO 8601 timestamp with a mandatory UTC offset (see ``Timestamp``).
    case timestamp
    /// A calendar date `YYYY-MM-DD` (see ``LocalDate``).
    case date
    /// The id (UUID string) of a record of the given kind belonging to the same user.
    case reference(EntityKind)
    /// One of the allowed codes.
    case enumeration(allowed: [String])
    /// A JSON array of distinct allowed codes (possibly empty).
    case enumerationSet(allowed: [String])
    /// An IANA time zone identifier such as `Europe/Berlin`, at most `maxLength` characters.
    case timeZone(maxLength: Int)
}
