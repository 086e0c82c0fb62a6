import Foundation
import Postgres
import RunDiaryTestSupport
import Testing

@Suite("Interpolated values are parameters, never SQL, through every way a query is built")
struct InjectionTests {
    static let attempts = [
        "'; DROP TABLE notes; --",
        "Robert'); DELETE FROM notes WHERE ('1'='1",
        "$1",
        "\\'; SELECT pg_sleep(10); --",
        "1 OR 1=1",
        "' UNION SELECT version() --",
        "E'\\x27'",
        "\"notes\"; DROP TABLE notes; --",
        "$$; DROP TABLE notes; $$",
    ]

    /// Every way a value can reach a statement: directly, in a fragment nested three deep, in a fragment used twice,
    /// and in a joined list. Each attempt is stored verbatim, and the table survives.
    @Test func injectionAttemptsAreStoredVerbatimThroughEveryPath() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url) { client in
                try await client.execute("CREATE TABLE notes (id serial PRIMARY KEY, path text NOT NULL, body text NOT NULL)")
                for attempt in Self.attempts {
                    try await client.execute("INSERT INTO notes (path, body) VALUES ('plain', \(attempt))")

                    let innermost: PostgresQuery = "\(attempt)"
                    let inner: PostgresQuery = "'nested', \(innermost)"
                    let outer: PostgresQuery = "(\(inner))"
                    try await client.execute("INSERT INTO notes (path, body) VALUES \(outer)")

                    let row: PostgresQuery = "('reused', \(attempt))"
                    try await client.execute("INSERT INTO notes (path, body) VALUES \(row), \(row)")

                    let rows = [attempt, attempt + attempt].map { "('joined', \($0))" as PostgresQuery }
                    try await client.execute("INSERT INTO notes (path, body) VALUES \(rows.joined(separator: ", "))")
                }
                let stored = try await client.query("SELECT path, body FROM notes ORDER BY id").map {
                    try $0.decode((String, String).self)
                }
                let expected = Self.attempts.flatMap { attempt in
                    [
                        ("plain", attempt), ("nested", attempt), ("reused", attempt), ("reused", attempt),
                        ("joined", attempt), ("joined", attempt + attempt),
                    ]
                }
                #expect(stored.map(\.0) == expected.map(\.0))
                #expect(stored.map(\.1) == expected.map(\.1))
                for attempt in Self.attempts {
                    let matches = try await client.query("SELECT count(*) FROM notes WHERE body = \(attempt)").single()
                    #expect(try matches.decode(Int.self, at: 0) == 5)
                }
            }
        }
    }

    /// The SQL text holds only the program's literals and numbered placeholders, whatever the values are.
    @Test func valuesNeverReachTheText() {
        for attempt in Self.attempts {
            let nested: PostgresQuery = "title = \(attempt)"
            let list = [attempt, attempt].map { "\($0)" as PostgresQuery }.joined(separator: ", ")
            let query: PostgresQuery = "SELECT \(attempt) WHERE \(nested) AND \(nested) AND x IN (\(list))"
            #expect(query.sql == "SELECT $1 WHERE title = $2 AND title = $3 AND x IN ($4, $5)")
            #expect(query.binds.count == 5)
            #expect("\(query)" == query.sql + " [5 parameters]", "a query's description shows no values")
        }
    }

    /// A string literal written inside an interpolation is a value too: only the literal text around it is SQL.
    @Test func aLiteralInsideAnInterpolationIsAValue() {
        let query: PostgresQuery = "SELECT \("1; DROP TABLE notes") AS x"
        #expect(query.sql == "SELECT $1 AS x")
        #expect(query.binds.count == 1)
    }

    @Test func interpolationProducesPositionalParameters() {
        let id = UUID()
        let query: PostgresQuery = "SELECT * FROM runs WHERE user_id = \(id) AND title = \("x'; --") LIMIT \(10)"
        #expect(query.sql == "SELECT * FROM runs WHERE user_id = $1 AND title = $2 LIMIT $3")
        #expect(query.binds.count == 3)
    }

    @Test(arguments: [
        "runs; DROP TABLE users", "Runs", "a\"b", "", "1runs", "naïve", "x\u{0}y", "runs ", "public.runs",
        String(repeating: "a", count: 64),
    ])
    func hostileIdentifiersAreRefused(name: String) {
        let error = #expect(throws: PostgresError.self) { try PostgresIdentifier(validating: name) }
        #expect(error?.code == .invalidIdentifier)
    }

    @Test func identifiersAreQuoted() throws {
        let longest = String(repeating: "a", count: 63)
        for name in ["runs", "_x1", "pain_entries", longest] {
            let identifier = try PostgresIdentifier(validating: name)
            let query: PostgresQuery = "SELECT * FROM \(identifier)"
            #expect(query.sql == "SELECT * FROM \"\(name)\"")
            #expect(query.binds.count == 0)
        }
        let table: PostgresIdentifier = "notes"
        let columns: [PostgresIdentifier] = ["id", "body"]
        #expect(
            ("SELECT \(columns.joined(separator: ", ")) FROM \(table)" as PostgresQuery).sql == "SELECT \"id\", \"body\" FROM \"notes\"")
    }

    /// A keyword is a fine name once quoted; the statement built from identifiers runs as written.
    @Test func identifiersWorkAgainstTheServer() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url) { client in
                let table = try PostgresIdentifier(validating: "order")
                let column = try PostgresIdentifier(validating: "select")
                try await client.execute("CREATE TABLE \(table) (\(column) text)")
                try await client.execute("INSERT INTO \(table) (\(column)) VALUES (\("x"))")
                let value = try await client.query("SELECT \(column) FROM \(table)").single().decode(String.self, at: 0)
                #expect(value == "x")
            }
        }
    }

    @Test func emptyFragmentsAddNothing() {
        let empty = PostgresQuery()
        let literal: PostgresQuery = ""
        #expect(empty.isEmpty && literal.isEmpty)
        #expect(empty == literal)
        let query: PostgresQuery = "SELECT \(empty)1\(literal) WHERE \(7) = \(empty)\(7)"
        #expect(query.sql == "SELECT 1 WHERE $1 = $2")
        #expect([PostgresQuery]().joined(separator: ", ").isEmpty)
        #expect([empty, empty].joined().isEmpty)
        #expect([empty, empty].joined(separator: ", ").sql == ", ")
        let single = [PostgresQuery("a")].joined(separator: ", ")
        #expect(single.sql == "a")
    }

    /// Placeholders are numbered where fragments land, and each value arrives at its own placeholder: checked by the
    /// server, with values of different types nested three deep, reused, joined, past `$9`, and beside SQL text that
    /// itself contains `$1` (a string literal, never scanned or renumbered).
    @Test func placeholderNumberingMatchesTheValues() async throws {
        try await TestDatabase.withClient { client in
            let id = UUID()
            let none: String? = nil
            let level3: PostgresQuery = "\(id), \(none)::text"
            let level2: PostgresQuery = "\(Int64(42)), \(level3), \(true)"
            let level1: PostgresQuery = "\("first"), \(level2)"
            let twelve = (1...12).map { "\(Int64($0))" as PostgresQuery }.joined(separator: ", ")
            let query: PostgresQuery = "SELECT '$1' AS literal, \(level1), ARRAY[\(twelve)], \(level2)"
            #expect(
                query.sql
                    == "SELECT '$1' AS literal, $1, $2, $3, $4::text, $5, ARRAY[$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17], "
                    + "$18, $19, $20::text, $21")
            let row = try await client.query(query).single()
            let values = try row.decode((String, String, Int64, UUID, String?, Bool, [Int64], Int64, UUID, String?, Bool).self)
            #expect(values.0 == "$1")
            #expect(values.1 == "first")
            #expect(values.2 == 42)
            #expect(values.3 == id)
            #expect(values.4 == nil)
            #expect(values.5 == true)
            #expect(values.6 == Array(1...12))
            #expect(values.7 == 42)
            #expect(values.8 == id)
            #expect(values.9 == nil)
            #expect(values.10 == true)
        }
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
