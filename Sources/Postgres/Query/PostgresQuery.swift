/// A SQL statement, or a fragment of one, with its parameters.
///
/// Built by string interpolation. SQL text comes only from three places: string literals written in the program (the
/// literal type is `StaticString`, so no string made at run time can be SQL text), ``PostgresIdentifier``s, and other
/// queries nested as fragments. Every interpolated value becomes a positional parameter (`$1`, `$2`, …) sent apart
/// from the text, so a value can never change the statement.
///
/// A fragment nests with its parameters, which are renumbered where it lands; one used twice binds its values twice:
///
/// ```swift
/// let mine: PostgresQuery = "user_id = \(userID)"
/// let newer: PostgresQuery = "version > \(cursor)"
/// let table: PostgresIdentifier = "runs"
/// let query: PostgresQuery = "SELECT id FROM \(table) WHERE \(mine) AND \(newer) LIMIT \(limit)"
/// // SELECT id FROM "runs" WHERE user_id = $1 AND version > $2 LIMIT $3
/// let both = ["a", "b"].map { "title = \($0)" as PostgresQuery }.joined(separator: " OR ")
/// // title = $1 OR title = $2
/// ```
public struct PostgresQuery: Sendable, Hashable {
    /// The text around the parameters: `text[0]`, `$1`, `text[1]`, `$2`, …; always one longer than the binds.
    private var text: [String]
    /// The parameters, in `$1`, `$2`, … order.
    public private(set) var binds: PostgresBindings

    /// An empty fragment.
    public init() {
        text = [""]
        binds = PostgresBindings()
    }

    /// The statement's text, its parameters numbered `$1`, `$2`, … in order.
    public var sql: String {
        var sql = text[0]
        for (index, piece) in text.dropFirst().enumerated() {
            sql += "$"
            sql += String(index + 1)
            sql += piece
        }
        return sql
    }

    /// Whether the fragment has neither text nor parameters.
    public var isEmpty: Bool { text.count == 1 && text[0].isEmpty }

    /// Appends `fragment`, renumbering its parameters after this query's own.
    public mutating func append(_ fragment: PostgresQuery) {
        text[text.count - 1] += fragment.text[0]
        text.append(contentsOf: fragment.text.dropFirst())
        binds.append(contentsOf: fragment.binds)
    }

    fileprivate mutating func appendText(_ sql: String) {
        text[text.count - 1] += sql
    }

    fileprivate mutating func appendBind<Value: PostgresEncodable>(_ value: Value) {
        binds.append(value)
        text.append("")
    }
}

extension PostgresQuery: ExpressibleByStringInterpolation {
    /// Only literals written in the program: a `String` made at run time cannot become a query's text.
    public typealias StringLiteralType = StaticString

    public init(stringLiteral value: StaticString) {
        self.init()
        appendText(value.description)
    }

    public init(stringInterpolation: StringInterpolation) {
        self = stringInterpolation.query
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        public typealias StringLiteralType = StaticString

        fileprivate var query = PostgresQuery()

        public init(literalCapacity: Int, interpolationCount: Int) {
            query.text.reserveCapacity(interpolationCount + 1)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            query.appendText(literal.description)
        }

        /// Binds a value as the next positional parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            query.appendBind(value)
        }

        /// Binds an optional value; `nil` is sent as NULL.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            query.appendBind(value)
        }

        /// Nests a fragment with its parameters, renumbered to follow those before it.
        public mutating func appendInterpolation(_ fragment: PostgresQuery) {
            query.append(fragment)
        }

        /// Writes a table, column or cursor name, double-quoted.
        public mutating func appendInterpolation(_ identifier: PostgresIdentifier) {
            query.appendText(identifier.quoted)
        }
    }
}

extension PostgresQuery: CustomStringConvertible {
    /// The text with numbered placeholders and the number of parameters, never their values (they may be health data).
    public var description: String {
        "\(sql) [\(binds.count) parameters]"
    }
}

extension Sequence where Element == PostgresQuery {
    /// The fragments one after another, `separator` between each two; an empty fragment when there are none.
    public func joined(separator: PostgresQuery = PostgresQuery()) -> PostgresQuery {
        var result = PostgresQuery()
        for (index, fragment) in enumerated() {
            if index > 0 { result.append(separator) }
            result.append(fragment)
        }
        return result
    }
}

extension Sequence where Element == PostgresIdentifier {
    /// The names as a list, `separator` between each two: `"id", "version"` for `[id, version]` and `", "`.
    public func joined(separator: PostgresQuery) -> PostgresQuery {
        map { "\($0)" as PostgresQuery }.joined(separator: separator)
    }
}
