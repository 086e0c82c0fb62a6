/// A SQL statement with its parameters.
///
/// Built by string interpolation: every interpolated value becomes a positional parameter (`$1`, `$2`, …)
/// and is sent apart from the SQL text, so a value can never change the statement.
///
/// ```swift
/// let rows = try await client.query("SELECT id FROM runs WHERE user_id = \(userID) AND version > \(cursor)")
/// ```
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    public private(set) var sql: String
    public private(set) var binds: PostgresBindings

    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = PostgresBindings()
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// A statement whose text is built by the program, never from input, with parameters bound separately.
    /// Use it for SQL assembled from the program's own constants (table and column names of a schema).
    public init(unsafeSQL sql: String, binds: PostgresBindings = PostgresBindings()) {
        self.sql = sql
        self.binds = binds
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql: String
        var binds = PostgresBindings()

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds a value as the next positional parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        /// Binds an optional value; `nil` is sent as NULL.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        /// Inserts SQL text that is a compile-time constant (an identifier or keyword chosen by the program).
        public mutating func appendInterpolation(unescaped literal: StaticString) {
            sql += literal.description
        }
    }
}
