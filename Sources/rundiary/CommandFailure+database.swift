import Postgres
import RunDiaryCommandLine
import RunDiaryStore

extension CommandFailure {
    /// Maps any error to a message that holds no password and no health data.
    static func from(_ error: any Error) -> CommandFailure {
        switch error {
        case let failure as CommandFailure:
            return failure
        case let error as PostgresError
        where [.connectionFailed, .authenticationFailed, .databaseMissing, .invalidConfiguration].contains(error.code):
            // libpq's account of the connection, scrubbed of the password: it names hosts and roles, never row values.
            return CommandFailure("cannot reach the database: \(error.message)", exitCode: unreachable)
        case let error as PostgresError:
            return CommandFailure("database error: \(summary(of: error))")
        case let failure as PostgresTransactionError:
            if let sole = failure.soleError { return from(sole) }
            let first = failure.bodyError.map(from) ?? CommandFailure("database error: the transaction failed")
            let rollback = (failure.rollbackError as? PostgresError).map(summary(of:)) ?? "an error"
            return CommandFailure("\(first.message); rolling back failed too: \(rollback)", exitCode: first.exitCode)
        case let error as MigrationError:
            return CommandFailure(error.description)
        case let error as AdminError:
            return CommandFailure(error.description, exitCode: error.isUsageError ? usage : problem)
        default:
            return CommandFailure("\(error)")
        }
    }

    /// What went wrong, by kind, SQLSTATE and the schema names involved: never the server's message or detail,
    /// which can quote row values. Those are in PostgreSQL's own log.
    private static func summary(of error: PostgresError) -> String {
        var parts = ["\(error.code)"]
        if let sqlState = error.sqlState { parts.append("SQLSTATE \(sqlState)") }
        if let constraint = error.constraint { parts.append("constraint \(constraint)") }
        if let table = error.table { parts.append("table \(table)") }
        if let column = error.column { parts.append("column \(column)") }
        if error.code == .server { parts.append("the PostgreSQL server log has the message") }
        return parts.joined(separator: ", ")
    }
}
