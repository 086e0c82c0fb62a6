import Foundation
import Logging
import Postgres

/// Applies `Migrations/` to a database: in order, each in its own transaction, recorded in `schema_migrations`.
///
/// A session advisory lock serialises migrators, so two instances starting at once apply each file exactly once.
package struct Migrator: Sendable {
    /// What `migrate status` shows.
    package struct Status: Sendable {
        package struct Applied: Sendable {
            package let version: Int
            package let name: String
            package let appliedAt: Date
            package let checksumMatches: Bool
            /// The file for this version is missing from this build.
            package let isUnknown: Bool
        }
        package let applied: [Applied]
        package let pending: [Migration]

        /// Whether the database is exactly at this build's schema.
        package var isCurrent: Bool { pending.isEmpty && applied.allSatisfy { $0.checksumMatches && !$0.isUnknown } }
    }

    /// An arbitrary constant shared by every RunDiary migrator.
    private static let lockKey: Int64 = 0x52_756E_4469_6172

    package let client: PostgresClient
    package let migrations: [Migration]
    package let logger: Logger

    package init(client: PostgresClient, migrations: [Migration], logger: Logger) {
        self.client = client
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies every pending migration and returns those it applied.
    @discardableResult
    package func migrate() async throws -> [Migration] {
        try await client.withConnection { connection in
            try await connection.execute("SELECT pg_advisory_lock(\(Self.lockKey))")
            let applied: [Migration]
            do {
                applied = try await applyPending(on: connection)
            } catch {
                await unlockAfterFailure(on: connection)
                throw error
            }
            try await connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))")
            return applied
        }
    }

    /// Lists applied and pending migrations without changing anything.
    package func status() async throws -> Status {
        try await client.withConnection { connection in
            try await status(on: connection)
        }
    }

    /// Throws unless every migration is applied and unchanged.
    package func requireCurrent() async throws {
        let status = try await status()
        try validate(status)
        guard status.pending.isEmpty else { throw MigrationError.pending(status.pending.map(\.version)) }
    }

    private func applyPending(on connection: PostgresConnection) async throws -> [Migration] {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let status = try await status(on: connection)
        try validate(status)
        for migration in status.pending {
            do {
                try await connection.withTransaction { connection in
                    try await connection.executeScript(migration.sql)
                    try await connection.execute(
                        """
                        INSERT INTO schema_migrations (version, name, checksum)
                        VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                        """)
                }
            } catch let failure as PostgresTransactionError {
                throw failure.soleError ?? failure
            }
            logger.info("migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        }
        return status.pending
    }

    /// Releases the migration lock after a failure, even in a cancelled task (the pool may lend this connection
    /// again), keeping the failure as the error to report. An unlock that fails anyway is logged; it fails only on
    /// a broken connection, whose session, and lock, the server has ended.
    private func unlockAfterFailure(on connection: PostgresConnection) async {
        do {
            _ = try await Task { try await connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))") }.value
        } catch {
            logger.warning("migration lock not released", metadata: ["error": "\(error)"])
        }
    }

    private func status(on connection: PostgresConnection) async throws -> Status {
        let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL").single()
        var applied: [Status.Applied] = []
        if try exists.decode(Bool.self, at: 0) {
            let rows = try await connection.query(
                "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
            for row in rows {
                let (version, name, checksum, appliedAt) = try row.decode((Int32, String, String, Date).self)
                let known = migrations.first { $0.version == Int(version) }
                applied.append(
                    Status.Applied(
                        version: Int(version), name: name, appliedAt: appliedAt,
                        checksumMatches: known.map { $0.checksum == checksum } ?? true, isUnknown: known == nil))
            }
        }
        let appliedVersions = Set(applied.map(\.version))
        return Status(applied: applied, pending: migrations.filter { !appliedVersions.contains($0.version) })
    }

    private func validate(_ status: Status) throws {
        if let changed = status.applied.first(where: { !$0.checksumMatches }) {
            throw MigrationError.checksumMismatch(version: changed.version, name: changed.name)
        }
        if let unknown = status.applied.first(where: \.isUnknown) {
            throw MigrationError.unknownApplied(version: unknown.version, name: unknown.name)
        }
    }
}
