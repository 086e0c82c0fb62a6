/// The isolation level of a transaction.
public enum IsolationLevel: Sendable {
    case readCommitted
    case repeatableRead
    case serializable

    var begin: PostgresQuery {
        switch self {
        case .readCommitted: "BEGIN ISOLATION LEVEL READ COMMITTED"
        case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}

extension PostgresConnection {
    /// Runs `body` in a transaction on this connection: committed when it returns, rolled back when it throws.
    ///
    /// Every failure is thrown as a ``PostgresTransactionError`` that keeps the errors of BEGIN, the body, ROLLBACK
    /// and COMMIT apart. The ROLLBACK runs even when the task is cancelled: it is the cleanup, and a cancelled body
    /// is the common reason for it. It is not sent on a connection that broke, whose transaction the server ended.
    @discardableResult
    public func withTransaction<Result>(
        isolation: IsolationLevel = .readCommitted, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            try await execute(isolation.begin)
        } catch {
            throw PostgresTransactionError(beginError: error)
        }
        let result: Result
        do {
            result = try await body(self)
        } catch {
            var failure = PostgresTransactionError(bodyError: error)
            if !isBroken {
                do {
                    try await executeToCompletion("ROLLBACK")
                } catch {
                    failure.rollbackError = error
                }
            }
            throw failure
        }
        do {
            try await execute("COMMIT")
        } catch {
            throw PostgresTransactionError(commitError: error)
        }
        return result
    }

    /// Runs a statement whether or not the calling task is cancelled (in a task of its own, which cancellation does
    /// not reach), for cleanup that must happen.
    private func executeToCompletion(_ query: PostgresQuery) async throws {
        _ = try await Task { try await self.execute(query) }.value
    }
}
