import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiaryStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations.",
        discussion: """
            Applies every Migrations/NNNN_name.sql not yet recorded in schema_migrations, in order, each in its own \
            transaction. An advisory lock makes concurrent runs safe. A migration changed after it was applied is \
            refused. Then writes the stored pull JSON of records that have none (rows from before migration 0011); \
            running it again is harmless.

            Examples:
              rundiary migrate
              rundiary migrate status --json
            """,
        subcommands: [MigrateStatusCommand.self]
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let migrations = try database.loadMigrations()
        let logger = commandLogger("rundiary.migrate")
        let (applied, filled) = try await database.withClient(logger: logger) { client in
            let applied = try await Migrator(client: client, migrations: migrations, logger: logger).migrate()
            return (applied, try await SyncStore(client: client).fillPulledChanges())
        }
        if applied.isEmpty {
            print("Database is up to date (\(migrations.count) migrations).")
        } else {
            for migration in applied { print("applied \(String(format: "%04d", migration.version)) \(migration.name)") }
        }
        if filled > 0 { print("wrote the pull JSON of \(filled) records that had none") }
    }
}

struct MigrateStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List applied and pending migrations.",
        discussion: "Exits 1 when migrations are pending or an applied one was changed.\n\nExample:\n  rundiary migrate status"
    )

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let migrations = try database.loadMigrations()
        let logger = commandLogger("rundiary.migrate")
        let status = try await database.withClient(logger: logger) { client in
            try await Migrator(client: client, migrations: migrations, logger: logger).status()
        }
        if json {
            let formatter = ISO8601DateFormatter()
            let document: [String: Any] = [
                "applied": status.applied.map {
                    [
                        "version": $0.version, "name": $0.name, "applied_at": formatter.string(from: $0.appliedAt),
                        "checksum_matches": $0.checksumMatches, "known": !$0.isUnknown,
                    ] as [String: Any]
                },
                "pending": status.pending.map { ["version": $0.version, "name": $0.name] as [String: Any] },
            ]
            let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for applied in status.applied {
                var note = ""
                if !applied.checksumMatches { note = "  CHANGED since applied" }
                if applied.isUnknown { note = "  unknown to this build" }
                print("applied  \(String(format: "%04d", applied.version)) \(applied.name)  \(applied.appliedAt)\(note)")
            }
            for pending in status.pending {
                print("pending  \(String(format: "%04d", pending.version)) \(pending.name)")
            }
        }
        if !status.isCurrent { throw ExitCode(CommandFailure.problem) }
    }
}
