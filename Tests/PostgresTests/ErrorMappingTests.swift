import Foundation
import Postgres
import RunDiaryTestSupport
import Testing

@Suite("Server and connection errors are mapped and recognisable")
struct ErrorMappingTests {
    @Test func serverErrorsCarrySQLStateMessageDetailAndConstraint() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url) { client in
                try await client.execute(
                    "CREATE TABLE pains (id int PRIMARY KEY, severity int CONSTRAINT severity_range CHECK (severity BETWEEN 0 AND 10))")
                try await client.execute("INSERT INTO pains VALUES (1, 3)")

                let unique = await #expect(throws: PostgresError.self) {
                    try await client.execute("INSERT INTO pains VALUES (1, 4)")
                }
                #expect(unique?.isUniqueViolation == true)
                #expect(unique?.sqlState == "23505")
                #expect(unique?.constraint == "pains_pkey")
                #expect(unique?.detail?.contains("(id)=(1)") == true)
                #expect(unique?.table == "pains")

                let check = await #expect(throws: PostgresError.self) {
                    try await client.execute("INSERT INTO pains VALUES (2, 11)")
                }
                #expect(check?.isCheckViolation == true)
                #expect(check?.constraint == "severity_range")

                let syntax = await #expect(throws: PostgresError.self) { try await client.execute("SELEC 1") }
                #expect(syntax?.sqlState == "42601")
                #expect(syntax?.code == .server)
            }
        }
    }

    /// What `"\(error)"` prints, and so what most logging shows, names the failure and never quotes the row.
    @Test func descriptionsNameTheFailureButNeverTheValues() async throws {
        let email = "ana.\(UUID().uuidString.prefix(8))@example.org"
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url) { client in
                try await client.execute("CREATE TABLE users (email text PRIMARY KEY)")
                try await client.execute("INSERT INTO users VALUES (\(email))")
                let unique = await #expect(throws: PostgresError.self) {
                    try await client.execute("INSERT INTO users VALUES (\(email))")
                }
                #expect(unique?.detail?.contains(email) == true, "the detail quotes the row")
                #expect(unique.map { "\($0)" } == "PostgreSQL server error (SQLSTATE 23505)")
                #expect(unique.map { String(reflecting: $0) }?.contains(email) == true, "details on purpose")

                let syntax = await #expect(throws: PostgresError.self) { try await client.query("SELECT \(email)::int") }
                #expect(syntax?.message.contains(email) == true, "the message quotes the value")
                #expect(syntax.map { "\($0)" }?.contains(email) == false)

                let decoding = await #expect(throws: PostgresError.self) {
                    try await client.query("SELECT 70000::int4 AS n").single().decode(Int16.self, at: 0)
                }
                #expect(decoding?.message.contains("70000") == true)
                #expect(decoding.map { "\($0)" } == "PostgreSQL decoding failed")

                let transaction = await #expect(throws: PostgresTransactionError.self) {
                    try await client.withConnection { connection in
                        try await connection.withTransaction { try await $0.execute("INSERT INTO users VALUES (\(email))") }
                    }
                }
                #expect(transaction.map { "\($0)" } == "PostgreSQL transaction failed (body: PostgreSQL server error (SQLSTATE 23505))")
                #expect(transaction.map { String(reflecting: $0) }?.contains(email) == true)
            }
        }
    }

    @Test func transactionRollsBackOnAnyThrownError() async throws {
        struct Abort: Error {}
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url) { client in
                try await client.execute("CREATE TABLE runs (id int PRIMARY KEY)")
                await #expect(throws: Abort.self) {
                    try await client.withTransaction { connection in
                        try await connection.execute("INSERT INTO runs VALUES (1)")
                        throw Abort()
                    }
                }
                let count = try await client.query("SELECT count(*) FROM runs").single().decode(Int.self, at: 0)
                #expect(count == 0)
                try await client.withTransaction { try await $0.execute("INSERT INTO runs VALUES (2)") }
                #expect(try await client.query("SELECT count(*) FROM runs").single().decode(Int.self, at: 0) == 1)
            }
        }
    }

    /// Write skew under SERIALIZABLE: one of two overlapping transactions fails with 40001 and is retried.
    @Test func serializationFailuresAreRetried() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url) { client in
                try await client.execute("CREATE TABLE shifts (doctor text, on_call boolean)")
                try await client.execute("INSERT INTO shifts VALUES ('a', true), ('b', true)")
                let attempts = AttemptCounter()
                let barrier = AsyncBarrier(count: 2)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for doctor in ["a", "b"] {
                        group.addTask {
                            try await client.withTransaction(isolation: .serializable, maxAttempts: 5) { connection in
                                let attempt = await attempts.next()
                                _ = try await connection.query("SELECT count(*) FROM shifts WHERE on_call")
                                if attempt <= 2 { try await barrier.arriveAndWait() }
                                try await connection.execute("UPDATE shifts SET on_call = false WHERE doctor = \(doctor)")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                // At least one of the two was rolled back and run again, and both changes are in.
                #expect(await attempts.count >= 3)
                let onCall = try await client.query("SELECT count(*) FROM shifts WHERE on_call").single()
                #expect(try onCall.decode(Int.self, at: 0) == 0)
            }
        }
    }

    @Test func deadlocksAreRecognisedAndRetried() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url) { client in
                try await client.execute("CREATE TABLE counters (id int PRIMARY KEY, n int)")
                try await client.execute("INSERT INTO counters VALUES (1, 0), (2, 0)")

                // Without retries, one of two transactions locking rows in opposite order is the victim.
                let barrier = AsyncBarrier(count: 2)
                let outcomes = try await withThrowingTaskGroup(of: PostgresError?.self) { group in
                    for (first, second) in [(1, 2), (2, 1)] {
                        group.addTask {
                            do {
                                try await client.withTransaction(maxAttempts: 1) { connection in
                                    try await connection.execute("UPDATE counters SET n = n + 1 WHERE id = \(first)")
                                    try await barrier.arriveAndWait()
                                    try await connection.execute("UPDATE counters SET n = n + 1 WHERE id = \(second)")
                                }
                                return nil
                            } catch let error as PostgresError {
                                return error
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.compactMap { $0 }.count == 1)
                #expect(outcomes.compactMap { $0 }.first?.isDeadlock == true)

                // With retries, both commit.
                let retryBarrier = AsyncBarrier(count: 2)
                let attempts = AttemptCounter()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (first, second) in [(1, 2), (2, 1)] {
                        group.addTask {
                            try await client.withTransaction(maxAttempts: 3) { connection in
                                let attempt = await attempts.next()
                                try await connection.execute("UPDATE counters SET n = n + 1 WHERE id = \(first)")
                                if attempt <= 2 { try await retryBarrier.arriveAndWait() }
                                try await connection.execute("UPDATE counters SET n = n + 1 WHERE id = \(second)")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let total = try await client.query("SELECT sum(n)::int8 FROM counters").single().decode(Int.self, at: 0)
                #expect(total == 2 + 4)
            }
        }
    }

    @Test func unreachableServer() async throws {
        let error = await #expect(throws: PostgresError.self) {
            try await TestDatabase.withClient(url: "postgresql://rundiary@127.0.0.1:1/rundiary?connect_timeout=2") {
                try await $0.query("SELECT 1")
            }
        }
        #expect(error?.code == .connectionFailed)
    }

    @Test func failedAuthenticationNeverShowsThePassword() async throws {
        let good = try TestDatabase.environment("RUNDIARY_TEST_TCP_URL")
        var components = URLComponents(string: good)!
        let secret = "Wr0ng-pa55-\(UUID().uuidString)"
        components.password = secret
        let error = await #expect(throws: PostgresError.self) {
            try await TestDatabase.withClient(url: components.string!) { try await $0.query("SELECT 1") }
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error.map { "\($0)" }?.contains(secret) == false)
        #expect(error?.message.contains(secret) == false)
        // The right password over the same route works.
        try await TestDatabase.withClient(url: good) { _ = try await $0.query("SELECT 1") }
    }

    @Test func missingDatabase() async throws {
        let url = TestDatabase.url(try TestDatabase.adminURL, database: "no_such_database_\(UInt32.random(in: 0...UInt32.max))")
        let error = await #expect(throws: PostgresError.self) {
            try await TestDatabase.withClient(url: url) { try await $0.query("SELECT 1") }
        }
        #expect(error?.code == .databaseMissing)
    }

    @Test func malformedConnectionStringHidesItsContents() async throws {
        let error = await #expect(throws: PostgresError.self) {
            try await TestDatabase.withClient(url: "postgresql://u:s3cr3t@localhost/db?s3cr3t_option=s3cr3t") {
                try await $0.query("SELECT 1")
            }
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error.map { "\($0)" }?.contains("s3cr3t") == false)
    }
}

actor AttemptCounter {
    private(set) var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}
