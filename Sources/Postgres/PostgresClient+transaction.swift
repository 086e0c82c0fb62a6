extension PostgresClient {
    /// Runs `body` in a transaction on a pooled connection: committed when it returns, rolled back when it throws.
    ///
    /// A serialization failure (40001) or deadlock (40P01) rolls back and runs `body` again, up to `maxAttempts`
    /// times in all, so `body` must not have effects outside the database. A connection found broken when the
    /// transaction begins (nothing has run yet) is replaced and the attempt repeated.
    ///
    /// When one step failed, its error is thrown as it is: the body's own error (after a clean rollback), or the
    /// ``PostgresError`` of BEGIN or COMMIT. When the ROLLBACK failed too, a ``PostgresTransactionError`` holds both.
    @discardableResult
    public func withTransaction<Result>(
        isolation: IsolationLevel = .readCommitted,
        maxAttempts: Int = 3,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withTransaction(isolation: isolation, maxAttempts: maxAttempts, opening: []) { _, connection in
            (closing: [], result: try await body(connection))
        }
    }

    /// Runs a transaction on a pooled connection with BEGIN sent together with `opening` and COMMIT with the
    /// `closing` statements `body` returns (``PostgresConnection/withTransaction(isolation:opening:_:)``), retried as
    /// ``withTransaction(isolation:maxAttempts:_:)`` is.
    @discardableResult
    public func withTransaction<Result>(
        isolation: IsolationLevel = .readCommitted,
        maxAttempts: Int = 3,
        opening: [PostgresQuery],
        _ body: ([PostgresRows], PostgresConnection) async throws -> (closing: [PostgresQuery], result: Result)
    ) async throws -> Result {
        try await transaction(isolation: isolation, maxAttempts: maxAttempts, opening: opening, body).result
    }

    /// Runs a transaction as ``withTransaction(isolation:maxAttempts:opening:_:)`` does and returns, with `body`'s
    /// result, the rows of its closing statements; `afterCommit`'s statements follow COMMIT in the same round trip
    /// (``PostgresConnection/transaction(isolation:opening:afterCommit:_:)``).
    public func transaction<Result>(
        isolation: IsolationLevel = .readCommitted,
        maxAttempts: Int = 3,
        opening: [PostgresQuery],
        afterCommit: (Result) -> [PostgresQuery] = { _ in [] },
        _ body: ([PostgresRows], PostgresConnection) async throws -> (closing: [PostgresQuery], result: Result)
    ) async throws -> (result: Result, closed: [PostgresRows]) {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try await connection.transaction(isolation: isolation, opening: opening, afterCommit: afterCommit, body)
                }
            } catch let failure as PostgresTransactionError {
                guard attempt < maxAttempts, failure.isRetryable else { throw failure.soleError ?? failure }
            }
            attempt += 1
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
        }
    }
}
