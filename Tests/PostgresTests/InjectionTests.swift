import Foundation
import Postgres
import RunDiaryTestSupport
import Testing

@Suite("Interpolated values are parameters, never SQL")
struct InjectionTests {
    static let attempts = [
        "'; DROP TABLE notes; --",
        "Robert'); DELETE FROM notes WHERE ('1'='1",
        "$1",
        "\\'; SELECT pg_sleep(10); --",
        "1 OR 1=1",
        "' UNION SELECT version() --",
        "E'\\x27'",
    ]

    @Test func injectionAttemptsAreStoredVerbatim() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url) { client in
                try await client.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
                for attempt in Self.attempts {
                    try await client.execute("INSERT INTO notes (body) VALUES (\(attempt))")
                }
                let rows = try await client.query("SELECT body FROM notes ORDER BY id")
                #expect(try rows.map { try $0.decode(String.self, at: 0) } == Self.attempts)
                for attempt in Self.attempts {
                    let matches = try await client.query("SELECT count(*) FROM notes WHERE body = \(attempt)").single()
                    #expect(try matches.decode(Int.self, at: 0) == 1)
                }
            }
        }
    }

    @Test func interpolationProducesPositionalParameters() {
        let id = UUID()
        let query: PostgresQuery = "SELECT * FROM runs WHERE user_id = \(id) AND title = \("x'; --") LIMIT \(10)"
        #expect(query.sql == "SELECT * FROM runs WHERE user_id = $1 AND title = $2 LIMIT $3")
        #expect(query.binds.count == 3)
    }

    /// A NUL byte cannot be stored in text; it must fail loudly rather than silently truncate the value.
    @Test func nulBytesAreRefusedNotTruncated() async throws {
        try await TestDatabase.withClient { client in
            let error = await #expect(throws: PostgresError.self) {
                try await client.query("SELECT \("before\u{0}after")::text")
            }
            #expect(error?.code == .server)
            #expect(error?.sqlState == "22021")
        }
    }
}
