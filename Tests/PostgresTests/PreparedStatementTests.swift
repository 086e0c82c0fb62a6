import Postgres
import RunDiaryTestSupport
import Testing

@Suite("A connection prepares each statement once, unless told not to")
struct PreparedStatementTests {
    /// The probe's statements this connection holds prepared, as the server lists them.
    static func preparedProbes(on connection: PostgresConnection) async throws -> Int {
        try await connection.query(
            "SELECT count(*)::int8 FROM pg_prepared_statements WHERE statement = 'SELECT $1 + 1 AS prepared_probe'"
        ).single().decode(Int.self, at: 0)
    }

    static func probe(on connection: PostgresConnection) async throws -> Int {
        try await connection.query("SELECT \(Int64(41)) + 1 AS prepared_probe").single().decode(Int.self, at: 0)
    }

    /// Runs `body` on the one connection of a client with statements prepared or not.
    static func withConnection<T: Sendable>(
        preparing: Bool, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await PostgresClient.withClient(
            configuration: PostgresConfiguration(
                connectionString: try TestDatabase.adminURL, maxConnections: 1, preparesStatements: preparing),
            logger: TestDatabase.logger
        ) { client in
            try await client.withConnection { connection -> T in try await body(connection) }
        }
    }

    @Test func aStatementRunTwiceIsPreparedOnceAndAnswersTheSame() async throws {
        let (first, second, prepared) = try await Self.withConnection(preparing: true) { connection in
            (
                try await Self.probe(on: connection), try await Self.probe(on: connection),
                try await Self.preparedProbes(on: connection)
            )
        }
        #expect(first == 42)
        #expect(second == 42)
        #expect(prepared == 1)
    }

    @Test func withPreparedStatementsOffNothingIsPrepared() async throws {
        let (answer, prepared) = try await Self.withConnection(preparing: false) { connection in
            let answer = try await Self.probe(on: connection)
            let prepared = try await connection.query("SELECT count(*)::int8 FROM pg_prepared_statements").single()
                .decode(Int.self, at: 0)
            return (answer, prepared)
        }
        #expect(answer == 42)
        #expect(prepared == 0)
    }

    @Test func aStatementTheServerForgotIsPreparedAgain() async throws {
        let (before, forgotten, after, prepared) = try await Self.withConnection(preparing: true) { connection in
            let before = try await Self.probe(on: connection)
            try await connection.executeScript("DEALLOCATE ALL")
            let forgotten = try await Self.preparedProbes(on: connection)
            let after = try await Self.probe(on: connection)
            return (before, forgotten, after, try await Self.preparedProbes(on: connection))
        }
        #expect(before == 42)
        #expect(forgotten == 0)
        #expect(after == 42)
        #expect(prepared == 1)
    }
}
