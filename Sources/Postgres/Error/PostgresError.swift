/// An error from the PostgreSQL driver: a failed connection, a server error, or a value that could not be decoded.
///
/// Server errors carry the SQLSTATE and the fields PostgreSQL reports with it. Messages never contain a password:
/// connection errors are scrubbed of the password given in the connection string.
///
/// `description` (what `"\(error)"` and most logging print) is generic: the kind of failure and the SQLSTATE, never
/// the message or detail, which can quote row values (`Key (email)=(ana@example.org) already exists`). The details
/// are in the fields, and all of them in `String(reflecting: error)`, for when they are wanted on purpose.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure. Extensible: new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case connectionFailed = "connection failed"
            case authenticationFailed = "authentication failed"
            case databaseMissing = "database does not exist"
            case connectionClosed = "connection closed"
            case server = "server error"
            case decoding = "decoding failed"
            case invalidConfiguration = "invalid configuration"
            case poolClosed = "pool closed"
            case poolBusy = "pool busy"
            case invalidIdentifier = "invalid identifier"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The server could not be reached (refused, unknown host, timeout).
        public static let connectionFailed = Code(.connectionFailed)
        /// The server rejected the credentials.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The server is up but the named database does not exist.
        public static let databaseMissing = Code(.databaseMissing)
        /// An established connection broke (server restart, backend terminated, network).
        public static let connectionClosed = Code(.connectionClosed)
        /// The server answered a statement with an error; see ``PostgresError/sqlState``.
        public static let server = Code(.server)
        /// A column's value could not be decoded into the requested Swift type.
        public static let decoding = Code(.decoding)
        /// The connection string or pool settings are invalid.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The client has been shut down.
        public static let poolClosed = Code(.poolClosed)
        /// Every connection is lent out and as many tasks as ``PostgresConfiguration/maxWaiting`` allows already wait:
        /// the database is reachable, the client is at its bound. Try again shortly.
        public static let poolBusy = Code(.poolBusy)
        /// A name given as a ``PostgresIdentifier`` is not a plain lowercase SQL identifier.
        public static let invalidIdentifier = Code(.invalidIdentifier)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The primary human-readable message.
    public var message: String
    /// The five-character SQLSTATE for server errors, e.g. `23505`.
    public var sqlState: String?
    public var detail: String?
    public var hint: String?
    /// The constraint a violation names, when the server reports one.
    public var constraint: String?
    public var table: String?
    /// The result column a decoding error is about.
    public var column: String?

    package init(
        code: Code, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
        constraint: String? = nil, table: String? = nil, column: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    /// `23505`: a unique or primary-key constraint was violated.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// `23503`: a foreign-key constraint was violated.
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// `23514`: a CHECK constraint was violated.
    public var isCheckViolation: Bool { sqlState == "23514" }
    /// `40001`: the transaction could not be serialized and may succeed if retried.
    public var isSerializationFailure: Bool { sqlState == "40001" }
    /// `40P01`: the transaction was chosen as a deadlock victim and may succeed if retried.
    public var isDeadlock: Bool { sqlState == "40P01" }
    /// `57014`: the statement was cancelled (task cancellation or statement timeout).
    public var isQueryCanceled: Bool { sqlState == "57014" }
    /// Whether the failure is the database being out of reach (unreachable, connection lost, authentication or the
    /// database missing, the client shut down) rather than anything about the statement: callers answer "try again
    /// later", not "bug".
    public var isUnavailability: Bool {
        switch code {
        case .connectionFailed, .connectionClosed, .authenticationFailed, .databaseMissing, .poolClosed: true
        default:
            // 57P01–57P03: admin shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions.
            sqlState.map { $0.hasPrefix("57P") || $0.hasPrefix("08") } ?? false
        }
    }

    /// Whether running the whole transaction again may succeed.
    public var isTransient: Bool { isSerializationFailure || isDeadlock }

    public var description: String {
        guard let sqlState else { return "PostgreSQL \(code)" }
        return "PostgreSQL \(code) (SQLSTATE \(sqlState))"
    }

    public var debugDescription: String {
        let fields: [(String, String?)] = [
            ("sqlState", sqlState), ("message", message), ("detail", detail), ("hint", hint), ("constraint", constraint),
            ("table", table), ("column", column),
        ]
        let present = fields.compactMap { name, value in value.map { "\(name): \(String(reflecting: $0))" } }
        return "PostgresError(code: \(code), \(present.joined(separator: ", ")))"
    }
}
