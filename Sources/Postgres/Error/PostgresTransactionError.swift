/// A transaction that did not commit, with each failure kept apart: BEGIN's, the body's, ROLLBACK's and COMMIT's.
///
/// ``PostgresConnection/withTransaction(isolation:_:)`` throws it for every failure. Its `description` names the
/// step and the errors' kinds only (no server message, which may quote row values); `String(reflecting:)` gives every
/// detail.
public struct PostgresTransactionError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// BEGIN failed: nothing ran.
    public var beginError: (any Error)?
    /// The body threw. The transaction was rolled back, unless ``rollbackError`` says the ROLLBACK failed; on a
    /// connection that broke no ROLLBACK is sent, as the server ends the transaction with the session.
    public var bodyError: (any Error)?
    /// The ROLLBACK after the body's error failed. The connection is not reused, so the server ends the transaction
    /// when it closes.
    public var rollbackError: (any Error)?
    /// COMMIT failed. A server error means nothing was committed; after a broken connection the outcome is unknown.
    public var commitError: (any Error)?

    init(
        beginError: (any Error)? = nil, bodyError: (any Error)? = nil, rollbackError: (any Error)? = nil,
        commitError: (any Error)? = nil
    ) {
        self.beginError = beginError
        self.bodyError = bodyError
        self.rollbackError = rollbackError
        self.commitError = commitError
    }

    /// The one error, when a single step failed: BEGIN's, the body's (rolled back cleanly), or COMMIT's; `nil` when
    /// the ROLLBACK failed too and both errors matter.
    public var soleError: (any Error)? {
        if rollbackError != nil { return nil }
        return beginError ?? bodyError ?? commitError
    }

    /// Whether running the whole transaction again may succeed: BEGIN found the connection closed (nothing ran), or
    /// the body or COMMIT failed with a serialization failure or deadlock, or because the server no longer knew a
    /// statement the connection had prepared (SQLSTATE 26000: the connection then forgets its names and prepares
    /// them anew).
    public var isRetryable: Bool {
        if let begin = beginError as? PostgresError { return begin.code == .connectionClosed }
        guard let error = (bodyError ?? commitError) as? PostgresError else { return false }
        return error.isTransient || error.sqlState == "26000"
    }

    private var steps: [(name: String, error: any Error)] {
        [("BEGIN", beginError), ("body", bodyError), ("ROLLBACK", rollbackError), ("COMMIT", commitError)]
            .compactMap { step in step.1.map { (step.0, $0) } }
    }

    public var description: String {
        let parts = steps.map { step in
            // Other errors' descriptions may hold values: only their type is named.
            let summary = step.error is PostgresError ? "\(step.error)" : "\(type(of: step.error))"
            return "\(step.name): \(summary)"
        }
        return "PostgreSQL transaction failed (\(parts.joined(separator: "; ")))"
    }

    public var debugDescription: String {
        let parts = steps.map { "\($0.name)Error: \(String(reflecting: $0.error))" }
        return "PostgresTransactionError(\(parts.joined(separator: ", ")))"
    }
}
