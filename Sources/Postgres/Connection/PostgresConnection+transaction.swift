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
        try await withTransaction(isolation: isolation, opening: []) { _, connection in
            (closing: [], result: try await body(connection))
        }
    }

    /// Runs a transaction in as few round trips as its work allows: BEGIN is sent with the `opening` statements,
    /// and COMMIT with the `closing` statements `body` returns, each group in one round trip (``pipeline(_:)``).
    /// `body` gets the opening statements' rows, in order, and may run statements of its own in between.
    ///
    /// Failures are kept apart as by ``withTransaction(isolation:_:)``: an opening or closing statement's error is
    /// the body's (the transaction is rolled back), a COMMIT's is COMMIT's.
    @discardableResult
    public func withTransaction<Result>(
        isolation: IsolationLevel = .readCommitted, opening: [PostgresQuery],
        _ body: ([PostgresRows], PostgresConnection) async throws -> (closing: [PostgresQuery], result: Result)
    ) async throws -> Result {
        try await transaction(isolation: isolation, opening: opening, body).result
    }

    /// Runs a transaction as ``withTransaction(isolation:opening:_:)`` does and returns, with `body`'s result, the rows
    /// of its closing statements (those sent with COMMIT), in order.
    ///
    /// `afterCommit` gives, from `body`'s result, statements sent in the same round trip right after COMMIT: they run,
    /// each in a transaction of its own, only if COMMIT succeeded. Their failure cannot undo the commit and is not
    /// thrown (use them for what may be lost, such as a notification).
    public func transaction<Result>(
        isolation: IsolationLevel = .readCommitted, opening: [PostgresQuery],
        afterCommit: (Result) -> [PostgresQuery] = { _ in [] },
        _ body: ([PostgresRows], PostgresConnection) async throws -> (closing: [PostgresQuery], result: Result)
    ) async throws -> (result: Result, closed: [PostgresRows]) {
        let began: PipelineOutcome
        do {
            began = try await runPipeline([isolation.begin] + opening)
        } catch {
            throw PostgresTransactionError(beginError: error)
        }
        if let failure = began.failure, failure.index == 0 {
            throw PostgresTransactionError(beginError: failure.error)
        }
        let closing: [PostgresQuery]
        let result: Result
        do {
            if let failure = began.failure { throw failure.error }
            (closing, result) = try await body(began.results.dropFirst().map(PostgresRows.init(handle:)), self)
        } catch {
            throw await rolledBack(after: error)
        }
        let committed: PipelineOutcome
        do {
            committed = try await runPipeline(closing + ["COMMIT"] + afterCommit(result))
        } catch {
            // The connection failed under the pipeline: whether COMMIT ran is unknown.
            throw PostgresTransactionError(commitError: error)
        }
        if let failure = committed.failure, failure.index <= closing.count {
            guard failure.index < closing.count else { throw PostgresTransactionError(commitError: failure.error) }
            throw await rolledBack(after: failure.error)
        }
        return (result, committed.results.prefix(closing.count).map(PostgresRows.init(handle:)))
    }

    /// The error of a transaction whose body failed, after rolling it back (unless the connection broke, which ends
    /// the transaction on the server).
    private func rolledBack(after error: any Error) async -> PostgresTransactionError {
        var failure = PostgresTransactionError(bodyError: error)
        if !isBroken {
            do {
                try await executeToCompletion("ROLLBACK")
            } catch {
                failure.rollbackError = error
            }
        }
        return failure
    }

    /// Runs a statement whether or not the calling task is cancelled (in a task of its own, which cancellation does
    /// not reach), for cleanup that must happen.
    private func executeToCompletion(_ query: PostgresQuery) async throws {
        _ = try await Task { try await self.execute(query) }.value
    }
}
