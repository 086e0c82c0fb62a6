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

extension PostgresClient {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// A serialization failure (40001) or deadlock (40P01) rolls back and runs `body` again, up to `maxAttempts`
    /// times in all, so `body` must not have effects outside the database. A connection found broken when the
    /// transaction begins (nothing has run yet) is replaced and the attempt repeated.
    @discardableResult
    public func withTransaction<Result>(
        isolation: IsolationLevel = .readCommitted,
        maxAttempts: Int = 3,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try await connection.execute(isolation.begin)
                    do {
                        let result = try await body(connection)
                        try await connection.execute("COMMIT")
                        return result
                    } catch {
                        if !connection.isBroken {
                            _ = try? await connection.execute("ROLLBACK")
                        }
                        throw TransactionFailure(error: error)
                    }
                }
            } catch let failure as TransactionFailure {
                guard attempt < maxAttempts, let error = failure.error as? PostgresError, error.isTransient else {
                    throw failure.error
                }
            } catch let error as PostgresError where error.code == .connectionClosed && attempt < maxAttempts {
                // BEGIN itself failed on a connection that broke while idle: nothing ran, so try again.
            }
            attempt += 1
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
        }
    }
}

/// Marks an error raised after BEGIN succeeded, so that only those are candidates for a transient-error retry.
private struct TransactionFailure: Error {
    let error: any Error
}
