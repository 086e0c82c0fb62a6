import Foundation
import Postgres
import RunDiaryTestSupport
import Testing

@Suite("A transaction keeps apart the errors of BEGIN, its body, ROLLBACK and COMMIT")
struct TransactionTests {
    struct Abort: Error {}

    /// A connection in an aborted transaction refuses BEGIN: the body never runs.
    @Test func aFailedBeginRunsNothing() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { client in
            try await client.withConnection { connection in
                try await connection.execute("BEGIN")
                await #expect(throws: PostgresError.self) { try await connection.execute("SELECT 1 / 0") }
                var ran = false
                let failure = await #expect(throws: PostgresTransactionError.self) {
                    try await connection.withTransaction { _ in ran = true }
                }
                #expect(!ran)
                #expect((failure?.beginError as? PostgresError)?.sqlState == "25P02")
                #expect(failure?.bodyError == nil && failure?.rollbackError == nil && failure?.commitError == nil)
                try await connection.execute("ROLLBACK")
            }
        }
    }

    @Test func aFailedBodyIsRolledBack() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url, maxConnections: 1) { client in
                try await client.execute("CREATE TABLE runs (id int PRIMARY KEY)")
                try await client.withConnection { connection throws in
                    let failure = await #expect(throws: PostgresTransactionError.self) {
                        try await connection.withTransaction { connection in
                            try await connection.execute("INSERT INTO runs VALUES (1)")
                            throw Abort()
                        }
                    }
                    #expect(failure?.bodyError is Abort)
                    #expect(failure?.rollbackError == nil)
                    #expect(failure?.soleError is Abort)
                    #expect(try await connection.query("SELECT count(*) FROM runs").single().decode(Int.self, at: 0) == 0)
                }
            }
        }
    }

    /// The body ends its own backend from another connection, then throws: the connection learns of it only when the
    /// ROLLBACK is sent, which fails. Both errors are kept, and through the client the pair is what is thrown.
    @Test func aFailedRollbackIsKeptBesideTheBodysError() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { admin in
            try await TestDatabase.withClient(maxConnections: 1) { client throws in
                @Sendable func endBackend(of connection: PostgresConnection) async throws {
                    let pid = try await connection.query("SELECT pg_backend_pid()").single().decode(Int32.self, at: 0)
                    try await admin.execute("SELECT pg_terminate_backend(\(pid), 5000)")
                }
                let failure = await #expect(throws: PostgresTransactionError.self) {
                    try await client.withConnection { connection in
                        try await connection.withTransaction { connection in
                            try await endBackend(of: connection)
                            throw Abort()
                        }
                    }
                }
                #expect(failure?.bodyError is Abort)
                #expect((failure?.rollbackError as? PostgresError)?.code == .connectionClosed)
                #expect(failure?.commitError == nil)
                #expect(failure?.soleError == nil)

                let thrown = await #expect(throws: PostgresTransactionError.self) {
                    try await client.withTransaction(maxAttempts: 1) { connection in
                        try await endBackend(of: connection)
                        throw Abort()
                    }
                }
                #expect(thrown?.bodyError is Abort)
                #expect(thrown?.rollbackError != nil)
                // The broken connections were not lent again.
                #expect(try await client.query("SELECT 1::int4").single().decode(Int32.self, at: 0) == 1)
            }
        }
    }

    /// A deferred constraint is checked at COMMIT: the body succeeded and COMMIT failed.
    @Test func aFailedCommitIsTheCommitsError() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url, maxConnections: 1) { client in
                try await client.execute("CREATE TABLE runs (id int, CONSTRAINT one_run UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)")
                let failure = await #expect(throws: PostgresTransactionError.self) {
                    try await client.withConnection { connection in
                        try await connection.withTransaction { try await $0.execute("INSERT INTO runs VALUES (1), (1)") }
                    }
                }
                #expect(failure?.bodyError == nil)
                #expect((failure?.commitError as? PostgresError)?.constraint == "one_run")

                // Through the client, a single failure is thrown as itself.
                let thrown = await #expect(throws: PostgresError.self) {
                    try await client.withTransaction { try await $0.execute("INSERT INTO runs VALUES (2), (2)") }
                }
                #expect(thrown?.isUniqueViolation == true)
                #expect(try await client.query("SELECT count(*) FROM runs").single().decode(Int.self, at: 0) == 0)
            }
        }
    }

    /// Statements after COMMIT (a notification) run, in the same round trip, only once COMMIT succeeded; their own
    /// failure leaves the committed transaction committed and is not thrown. The closing statements' rows come back.
    @Test func statementsAfterCommitRunOnlyOnceItSucceeded() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url, maxConnections: 1) { client in
                try await client.execute(
                    "CREATE TABLE runs (id int, CONSTRAINT one_run UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)")
                try await client.execute("CREATE TABLE notes (id int)")
                func count(_ table: PostgresIdentifier) async throws -> Int {
                    try await client.query("SELECT count(*) FROM \(table)").single().decode(Int.self, at: 0)
                }
                // Committed: the statement after COMMIT ran, and the closing statement's rows are returned.
                let (result, closed) = try await client.transaction(
                    opening: ["SELECT 1"], afterCommit: { (id: Int) in ["INSERT INTO notes VALUES (\(id))"] }
                ) { _, _ in (closing: ["INSERT INTO runs VALUES (1) RETURNING id"], result: 1) }
                #expect(result == 1)
                #expect(closed.count == 1)
                #expect(try closed[0].single().decode(Int.self, at: 0) == 1)
                #expect(try await count("notes") == 1)

                // A closing statement fails: rolled back, and nothing after COMMIT ran.
                await #expect(throws: PostgresError.self) {
                    try await client.transaction(
                        opening: [], afterCommit: { (id: Int) in ["INSERT INTO notes VALUES (\(id))"] }
                    ) { _, _ in (closing: ["INSERT INTO runs VALUES (2 / 0)"], result: 2) }
                }
                // COMMIT fails (a deferred unique check): nothing after it ran either.
                await #expect(throws: PostgresError.self) {
                    try await client.transaction(
                        opening: [], afterCommit: { (id: Int) in ["INSERT INTO notes VALUES (\(id))"] }
                    ) { _, _ in (closing: ["INSERT INTO runs VALUES (3), (3)"], result: 3) }
                }
                #expect(try await count("runs") == 1)
                #expect(try await count("notes") == 1)

                // The statement after COMMIT fails: the transaction stays committed and nothing is thrown.
                let (after, _) = try await client.transaction(
                    opening: [], afterCommit: { (_: Int) in ["SELECT 1 / 0"] }
                ) { _, _ in (closing: ["INSERT INTO runs VALUES (4)"], result: 4) }
                #expect(after == 4)
                #expect(try await count("runs") == 2)
                // The connection is still in step: it runs the next statement.
                #expect(try await client.query("SELECT 5").single().decode(Int.self, at: 0) == 5)
            }
        }
    }

    /// A cancelled body is still rolled back, on the same connection, and the cancellation comes through as it is.
    @Test func aCancelledBodyIsStillRolledBack() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url, maxConnections: 1) { client in
                try await client.execute("CREATE TABLE runs (id int PRIMARY KEY)")
                try await client.withConnection { connection throws in
                    let task = Task {
                        try await connection.withTransaction { connection in
                            try await connection.execute("INSERT INTO runs VALUES (1)")
                            withUnsafeCurrentTask { $0?.cancel() }
                            try Task.checkCancellation()
                        }
                    }
                    let failure = await #expect(throws: PostgresTransactionError.self) { try await task.value }
                    #expect(failure?.bodyError is CancellationError)
                    #expect(failure?.rollbackError == nil)
                    // Still inside the transaction, the connection would see its own insert.
                    #expect(try await connection.query("SELECT count(*) FROM runs").single().decode(Int.self, at: 0) == 0)
                }
                let cancelled = Task {
                    try await client.withTransaction { connection in
                        withUnsafeCurrentTask { $0?.cancel() }
                        try Task.checkCancellation()
                    }
                }
                await #expect(throws: CancellationError.self) { try await cancelled.value }
            }
        }
    }
}
