import Foundation
import Postgres
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("four migrators started at once apply each file exactly once")
    func concurrentMigratorsAreSerialised() async throws {
        let migrations = try TestDatabase.migrations()
        try await TestDatabase.withEmptyDatabase { url in
            try await TestDatabase.withClient(url: url, maxConnections: 4) { client in
                let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            try await Migrator(client: client, migrations: migrations, logger: TestDatabase.logger).migrate().count
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                // One migrator applied everything; the others found nothing left to do.
                #expect(applied.sorted() == [0, 0, 0, migrations.count])
                let rows = try await client.query("SELECT version FROM schema_migrations ORDER BY version")
                #expect(try rows.map { Int(try $0.decode(Int32.self, at: 0)) } == migrations.map(\.version))
                let status = try await Migrator(client: client, migrations: migrations, logger: TestDatabase.logger).status()
                #expect(status.isCurrent)
            }
        }
    }

    @Test("an applied migration whose file changed is refused")
    func changedMigrationIsRefused() async throws {
        var migrations = try TestDatabase.migrations()
        try await TestDatabase.withMigratedDatabase { _, client in
            let edited = Migration(version: migrations[0].version, name: migrations[0].name, sql: migrations[0].sql + "\n-- edited")
            migrations[0] = edited
            let migrator = Migrator(client: client, migrations: migrations, logger: TestDatabase.logger)
            await #expect(throws: MigrationError.checksumMismatch(version: edited.version, name: edited.name)) {
                try await migrator.migrate()
            }
            let current = try await migrator.status().isCurrent
            #expect(!current)
        }
    }

    /// A migration that fails half-way: its own transaction, and the version it would record, are rolled back.
    static let failing = Migration(
        version: 9999, name: "failing",
        sql: "CREATE TABLE half_done (id int);\nSELECT 'ana@example.org'::int;\n")

    @Test("a failing migration is rolled back, its error thrown as it is, and the lock released")
    func failingMigrationIsRolledBack() async throws {
        let migrations = try TestDatabase.migrations()
        try await TestDatabase.withEmptyDatabase { url in
            try await TestDatabase.withClient(url: url, maxConnections: 2) { client in
                let migrator = Migrator(client: client, migrations: migrations + [Self.failing], logger: TestDatabase.logger)
                let error = await #expect(throws: PostgresError.self) { try await migrator.migrate() }
                #expect(error?.sqlState == "22P02")
                #expect(try await client.query("SELECT to_regclass('half_done') IS NULL").single().decode(Bool.self, at: 0))
                #expect(try await migrator.status().pending.map(\.version) == [Self.failing.version])
                let locks = try await client.query(
                    """
                    SELECT count(*) FROM pg_locks
                    WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """
                ).single()
                #expect(try locks.decode(Int.self, at: 0) == 0)
            }
        }
    }

    @Test("`rundiary migrate` reports a failing migration in one line, without the values it quoted")
    func failingMigrationThroughTheExecutable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for migration in try TestDatabase.migrations() {
            let file = String(format: "%04d_%@.sql", migration.version, migration.name)
            try Data(migration.sql.utf8).write(to: folder.appendingPathComponent(file))
        }
        try Data(Self.failing.sql.utf8).write(to: folder.appendingPathComponent("9999_failing.sql"))
        try await TestDatabase.withEmptyDatabase { url in
            let outcome = try await Rundiary.run(["migrate", "--migrations", folder.path], databaseURL: url)
            #expect(outcome.status == 1)
            #expect(outcome.stderr.hasPrefix("rundiary: database error: server error, SQLSTATE 22P02"), "\(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1)
            #expect(!outcome.stderr.contains("ana@example.org"))
        }
    }

    @Test("`rundiary migrate` and `migrate status` through the executable")
    func migrateCommands() async throws {
        try await TestDatabase.withEmptyDatabase { url in
            let before = try await Rundiary.run(["migrate", "status"], databaseURL: url)
            #expect(before.status == 1)
            #expect(before.stdout.contains("pending  0001 accounts"))
            let migrate = try await Rundiary.run(["migrate"], databaseURL: url)
            #expect(migrate.status == 0, "\(migrate.stderr)")
            #expect(migrate.stdout.contains("applied 0001 accounts"))
            let after = try await Rundiary.run(["migrate", "status", "--json"], databaseURL: url)
            #expect(after.status == 0)
            let document = try after.jsonObject()
            #expect((document["pending"] as? [Any])?.isEmpty == true)
            let migrationCount = try TestDatabase.migrations().count
            #expect((document["applied"] as? [Any])?.count == migrationCount)
            let again = try await Rundiary.run(["migrate"], databaseURL: url)
            #expect(again.stdout.hasPrefix("Database is up to date"))
        }
    }
}
