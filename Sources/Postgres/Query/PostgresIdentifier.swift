/// The name of a table, column or cursor: besides string literals, the only text that may enter a ``PostgresQuery``.
///
/// An identifier comes from a string literal (`let table: PostgresIdentifier = "runs"`, checked when it is made: a
/// bad literal is a programming error and stops the program) or from a name the program derives from its own schema,
/// checked by ``init(validating:)``. Either way it must be a plain lowercase PostgreSQL name — a letter or `_`, then
/// letters, digits or `_`, at most 63 bytes — and it is always written double-quoted, so it is never read as a keyword
/// and can never be more than one name. Names outside that pattern are refused, not escaped: RunDiary's schema never
/// needs them, and a name that does not fit is a sign that something other than the program chose it.
public struct PostgresIdentifier: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public typealias StringLiteralType = StaticString

    /// The name, unquoted.
    public let name: String

    public init(stringLiteral name: StaticString) {
        let text = name.description
        precondition(Self.isPlain(text), "\(text) is not a plain lowercase SQL identifier")
        self.name = text
    }

    /// Checks a name the program made; throws ``PostgresError/Code/invalidIdentifier`` for anything but a plain
    /// lowercase identifier.
    public init(validating name: String) throws {
        guard Self.isPlain(name) else {
            throw PostgresError(code: .invalidIdentifier, message: "not a plain lowercase SQL identifier")
        }
        self.name = name
    }

    /// The name as SQL text, double-quoted (the pattern leaves nothing inside to escape).
    var quoted: String { "\"" + name + "\"" }

    public var description: String { name }

    /// `[a-z_][a-z0-9_]*`, 1 to 63 bytes (PostgreSQL's NAMEDATALEN - 1; longer names would be truncated).
    private static func isPlain(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= 63, first == UInt8(ascii: "_") || isLowercaseLetter(first) else {
            return false
        }
        return bytes.allSatisfy { $0 == UInt8(ascii: "_") || isLowercaseLetter($0) || isDigit($0) }
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
