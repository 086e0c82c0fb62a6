/// A coded value whose set of known codes can grow in later versions, such as ``Surface`` or ``BodySite``.
///
/// Conforming types are structs over the wire string rather than Swift enums, so that a client decoding a record
/// written by a newer client keeps a code it does not know (``isKnown`` is false) and writes it back unchanged
/// instead of failing or dropping it. The server validates strictly: a code not in ``knownValues`` is rejected
/// with `invalid_value`, and the rejected mutation is kept and listed, so the value is not lost.
public protocol OpenEnumeration: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
where RawValue == String {
    /// The codes this version of the library knows, in display order.
    static var knownValues: [Self] { get }

    /// Wraps a wire code, known or not.
    init(rawValue: String)
}

extension OpenEnumeration {
    /// Whether this version of the library knows the code.
    public var isKnown: Bool {
        Self.knownValues.contains(self)
    }

    /// The known codes as wire strings.
    public static var knownRawValues: [String] {
        knownValues.map(\.rawValue)
    }

    public var description: String {
        rawValue
    }

    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
