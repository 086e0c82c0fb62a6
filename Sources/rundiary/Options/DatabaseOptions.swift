import ArgumentParser
import Foundation
import Logging
import Postgres
import RunDiaryCommandLine
import RunDiaryStore

/// Where the database is and where the migrations are; shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "libpq connection string or postgresql:// URL (env: DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "The folder of NNNN_name.sql migrations (env: RUNDIARY_MIGRATIONS; default: ./Migrations or the installed copy).")
    var migrations: String?

    func resolvedURL() throws -> String {
        guard let url = databaseURL ?? Environment.value("DATABASE_URL") else {
            throw CommandFailure("no database given: set DATABASE_URL or pass --database-url", exitCode: CommandFailure.usage)
        }
        return url
    }

    func loadMigrations() throws -> [Migration] {
        try Migration.load(from: Migration.locateDirectory(explicit: migrations ?? Environment.value("RUNDIARY_MIGRATIONS")))
    }

    /// Runs `body` with a running client, closed when `body` is done; errors become one line for stderr.
    func withClient<T>(
        poolSize: Int = 2, logger: Logger, _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        let configuration = PostgresConfiguration(connectionString: try resolvedURL(), maxConnections: poolSize)
        do {
            return try await PostgresClient.withClient(configuration: configuration, logger: logger, body)
        } catch {
            throw CommandFailure.from(error)
        }
    }
}

/// Reads settings from the process environment; an empty value counts as unset.
enum Environment {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}

/// Quiet logs for maintenance commands: warnings and errors on stderr.
func commandLogger(_ label: String) -> Logger {
    var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .warning
    return logger
}
