import Foundation
import Postgres
import RunDiaryTestSupport
import Testing

@Suite("A pipeline sends its statements in one round trip; a transaction sends BEGIN and COMMIT with its statements")
struct PipelineTests {
    struct Abort: Error {}

    /// The transaction id a statement ran in: equal for two statements only when they shared a transaction.
    static let transactionID: PostgresQuery = "SELECT txid_current()::int8"

    static func count(_ table: String, on connection: PostgresConnection) async throws -> Int {
        let identifier = try PostgresIdentifier(validating: table)
        return try await connection.query("SELECT count(*)::int8 FROM \(identifier)").single().decode(Int.self, at: 0)
    }

    /// Each statement's rows come back in order, bound parameters and all, whether the connection prepares its
    /// statements or not; and the statements share one implicit transaction, which only statements sent before one
    /// sync point do (run one by one, each would have a transaction of its own).
    @Test(arguments: [true, false])
    func statementsAnswerInOrderInOneImplicitTransaction(preparing: Bool) async throws {
        let (answers, ids, separate) = try await PreparedStatementTests.withConnection(preparing: preparing) { connection in
            let rows = try await connection.pipeline([
                "SELECT \(Int64(40)) + 1", "SELECT \("pipe")::text || 'line'", Self.transactionID, Self.transactionID,
            ])
            let answers = (
                try rows[0].single().decode(Int64.self, at: 0), try rows[1].single().decode(String.self, at: 0)
            )
            let ids = (try rows[2].single().decode(Int64.self, at: 0), try rows[3].single().decode(Int64.self, at: 0))
            let first = try await connection.query(Self.transactionID).single().decode(Int64.self, at: 0)
            let second = try await connection.query(Self.transactionID).single().decode(Int64.self, at: 0)
            return (answers, ids, first == second)
        }
        #expect(answers.0 == 41 && answers.1 == "pipeline")
        #expect(ids.0 == ids.1)
        #expect(!separate)
    }

    /// The failing statement's error is thrown; the statements after it never run and those before it roll back with
    /// the implicit transaction. The connection is back out of pipeline mode and serves the next statement.
    @Test func theFirstFailureEndsThePipeline() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url, maxConnections: 1) { client in
                try await client.execute("CREATE TABLE runs (id int PRIMARY KEY)")
                try await client.withConnection { connection throws in
                    let failure = await #expect(throws: PostgresError.self) {
                        try await connection.pipeline([
                            "INSERT INTO runs VALUES (1)", "SELECT 1 / \(Int32(0))", "INSERT INTO runs VALUES (2)",
                        ])
                    }
                    #expect(failure?.sqlState == "22012")
                    #expect(try await Self.count("runs", on: connection) == 0)
                    try await connection.pipeline(["INSERT INTO runs VALUES (3)", "INSERT INTO runs VALUES (4)"])
                    #expect(try await Self.count("runs", on: connection) == 2)
                }
                // The pool lends the connection again: it was left idle, not mid-pipeline.
                #expect(try await client.query("SELECT 7::int4").single().decode(Int32.self, at: 0) == 7)
            }
        }
    }

    /// The server forgot the connection's prepared statements: outside a transaction the pipeline is run again with
    /// them prepared anew; inside one the transaction fails, and the client's retry runs it again.
    @Test func forgottenStatementsArePreparedAgain() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url, maxConnections: 1) { client in
                try await client.execute("CREATE TABLE runs (id int PRIMARY KEY)")
                let insert: PostgresQuery = "INSERT INTO runs VALUES (\(Int32(1))) ON CONFLICT DO NOTHING"
                try await client.withConnection { connection in
                    try await connection.pipeline([insert, Self.transactionID])
                    try await connection.executeScript("DEALLOCATE ALL")
                    try await connection.pipeline([insert, Self.transactionID])
                    try await connection.executeScript("DEALLOCATE ALL")
                }
                var attempts = 0
                let rows = try await client.withTransaction(opening: [insert, "SELECT count(*)::int8 FROM runs"]) {
                    opened, _ in
                    attempts += 1
                    return (closing: [], result: try opened[1].single().decode(Int.self, at: 0))
                }
                #expect(rows == 1)
                #expect(attempts == 1)  // the first attempt failed in its opening statements, before the body
            }
        }
    }

    /// BEGIN and the opening statements share a round trip, and so do the closing statements and COMMIT: the body
    /// gets the opening rows, and everything commits together.
    @Test func aTransactionOpensAndClosesWithItsStatements() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url, maxConnections: 1) { client in
                try await client.execute("CREATE TABLE runs (id int PRIMARY KEY)")
                let (opened, inBody, closed) = try await client.withTransaction(
                    opening: ["INSERT INTO runs VALUES (1) RETURNING id", Self.transactionID]
                ) { opened, connection in
                    let inBody = try await connection.query(Self.transactionID).single().decode(Int64.self, at: 0)
                    return (
                        closing: ["INSERT INTO runs VALUES (2)", "INSERT INTO runs VALUES (3)"],
                        result: (
                            try opened[0].single().decode(Int32.self, at: 0),
                            try opened[1].single().decode(Int64.self, at: 0), inBody
                        )
                    )
                }
                #expect(opened == 1)
                #expect(inBody == closed)  // the body ran in the transaction BEGIN opened
                let stored = try await client.withConnection { try await Self.count("runs", on: $0) }
                #expect(stored == 3)
            }
        }
    }

    /// An opening or closing statement's failure is the body's, and the transaction is rolled back; a failure of
    /// COMMIT itself is COMMIT's; a body that throws rolls back what the opening statements did.
    @Test func failuresAreKeptApartAndRolledBack() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url, maxConnections: 1) { client in
                try await client.execute(
                    "CREATE TABLE runs (id int, CONSTRAINT one_run UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)")
                try await client.withConnection { connection throws in
                    var ran = false
                    let opening = await #expect(throws: PostgresTransactionError.self) {
                        try await connection.withTransaction(opening: ["INSERT INTO runs VALUES (1)", "SELECT 1 / 0"]) {
                            _, _ in
                            ran = true
                            return (closing: [], result: ())
                        }
                    }
                    #expect(!ran)
                    #expect((opening?.bodyError as? PostgresError)?.sqlState == "22012")
                    #expect(opening?.beginError == nil && opening?.rollbackError == nil && opening?.commitError == nil)

                    let closing = await #expect(throws: PostgresTransactionError.self) {
                        try await connection.withTransaction(opening: ["INSERT INTO runs VALUES (1)"]) { _, _ in
                            (closing: ["INSERT INTO runs VALUES (2)", "SELECT 1 / 0", "INSERT INTO runs VALUES (3)"], result: ())
                        }
                    }
                    #expect((closing?.bodyError as? PostgresError)?.sqlState == "22012")
                    #expect(closing?.rollbackError == nil && closing?.commitError == nil)

                    let body = await #expect(throws: PostgresTransactionError.self) {
                        try await connection.withTransaction(opening: ["INSERT INTO runs VALUES (1)"]) {
                            _, _ -> (closing: [PostgresQuery], result: Void) in
                            throw Abort()
                        }
                    }
                    #expect(body?.bodyError is Abort)

                    let commit = await #expect(throws: PostgresTransactionError.self) {
                        try await connection.withTransaction(opening: ["INSERT INTO runs VALUES (1)"]) { _, _ in
                            (closing: ["INSERT INTO runs VALUES (1)"], result: ())
                        }
                    }
                    #expect(commit?.bodyError == nil)
                    #expect((commit?.commitError as? PostgresError)?.constraint == "one_run")

                    #expect(try await Self.count("runs", on: connection) == 0)
                }
            }
        }
    }
}
