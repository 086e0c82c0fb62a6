// LeakSanitizer harness for the Postgres driver (a copy of /work/main/Sources/Postgres).
//
// Exercises the driver the way Tests/PostgresTests does, ITERATIONS times over, in a scratch database that the
// program creates and drops. Every check that fails is counted and reported; the process exits non-zero then.
// LeakSanitizer (ASAN_OPTIONS=detect_leaks=1) reports at exit whatever heap memory is no longer reachable.
import Foundation
import Logging
import NIOConcurrencyHelpers
import Postgres

// MARK: - Bookkeeping

final class Stats: Sendable {
    private let box = NIOLockedValueBox<(statements: Int, categories: [String: Int], failures: [String])>(
        (0, [:], []))

    func statement(_ category: String) {
        box.withLockedValue {
            $0.statements += 1
            $0.categories[category, default: 0] += 1
        }
    }

    func fail(_ message: String, line: UInt = #line) {
        box.withLockedValue { $0.failures.append("line \(line): \(message)") }
    }

    var snapshot: (statements: Int, categories: [String: Int], failures: [String]) { box.withLockedValue { $0 } }
}

let stats = Stats()
let logger = Logger(label: "driver-leakcheck")

func check(_ condition: Bool, _ message: @autoclosure () -> String, line: UInt = #line) {
    if !condition { stats.fail(message(), line: line) }
}

/// Runs `body`, which must throw a PostgresError satisfying `predicate`.
func expectPostgresError(
    _ label: String, line: UInt = #line, _ predicate: (PostgresError) -> Bool, _ body: () async throws -> Void
) async {
    do {
        try await body()
        stats.fail("\(label): no error thrown", line: line)
    } catch let error as PostgresError {
        if !predicate(error) { stats.fail("\(label): unexpected \(error)", line: line) }
    } catch {
        stats.fail("\(label): unexpected non-Postgres error \(error)", line: line)
    }
}

// Statement wrappers that count what was sent.
@discardableResult
func q(_ client: PostgresClient, _ category: String, _ query: PostgresQuery) async throws -> PostgresRows {
    stats.statement(category)
    return try await client.query(query)
}

@discardableResult
func q(_ connection: PostgresConnection, _ category: String, _ query: PostgresQuery) async throws -> PostgresRows {
    stats.statement(category)
    return try await connection.query(query)
}

@discardableResult
func x(_ client: PostgresClient, _ category: String, _ query: PostgresQuery) async throws -> Int {
    stats.statement(category)
    return try await client.execute(query)
}

@discardableResult
func x(_ connection: PostgresConnection, _ category: String, _ query: PostgresQuery) async throws -> Int {
    stats.statement(category)
    return try await connection.execute(query)
}

func withClient<T>(
    _ url: String, maxConnections: Int = 4, applicationName: String = "leakcheck",
    _ body: (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(
        configuration: PostgresConfiguration(
            connectionString: url, maxConnections: maxConnections, applicationName: applicationName),
        logger: logger)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

func url(_ url: String, database: String) -> String {
    var components = URLComponents(string: url)!
    components.path = "/" + database
    return components.string!
}

actor AsyncBarrier {
    private let count: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    init(count: Int) { self.count = count }
    func arriveAndWait() async {
        arrived += 1
        if arrived == count {
            waiting.forEach { $0.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

actor AttemptCounter {
    private(set) var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}

actor ConcurrencyTracker {
    private var current = 0
    private(set) var peak = 0
    func enter() {
        current += 1
        peak = max(peak, current)
    }
    func leave() { current -= 1 }
}

struct Payload: Codable, Equatable, Sendable {
    var name: String
    var values: [Int]
    var nested: [String: Double]?
}

struct Abort: Error {}

// MARK: - Workload pieces

func roundTrip<T: PostgresCodable & Equatable>(
    _ client: PostgresClient, _ value: T, as sqlType: StaticString, line: UInt = #line,
    equal: (T, T) -> Bool = { $0 == $1 }
) async throws {
    let query: PostgresQuery = "SELECT \(value)::\(unescaped: sqlType) AS value"
    let back = try await q(client, "roundtrip", query).single().decode(T.self, at: 0)
    check(equal(back, value), "round trip \(sqlType)", line: line)
}

func typeRoundTrips(_ client: PostgresClient) async throws {
    try await roundTrip(client, true, as: "boolean")
    try await roundTrip(client, false, as: "boolean")
    for v in [Int16.min, -1, 0, 1, Int16.max] { try await roundTrip(client, v, as: "int2") }
    for v in [Int32.min, -1, 0, 42, Int32.max] { try await roundTrip(client, v, as: "int4") }
    for v in [Int64.min, -1, 0, 1 << 40, Int64.max] {
        try await roundTrip(client, v, as: "int8")
        try await roundTrip(client, Int(v), as: "int8")
    }
    let doubles: [Double] = [
        0.0, -0.0, 1.5, -2.25e-300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity, -.infinity,
    ]
    for v in doubles { try await roundTrip(client, v, as: "float8") { $0 == $1 && $0.sign == $1.sign } }
    try await roundTrip(client, Double.nan, as: "float8") { a, _ in a.isNaN }
    for v in ["", "plain", "Hüftschmerz 🏃‍♀️ 膝", String(repeating: "x", count: 1 << 20), "quote ' \" \\ back"] {
        try await roundTrip(client, v, as: "text")
    }
    try await roundTrip(client, UUID(), as: "uuid")
    for s in [0.0, 1_795_000_000.123456, -2_208_988_800.5, 4_102_444_800.000001] {
        try await roundTrip(client, Date(timeIntervalSince1970: s), as: "timestamptz") {
            abs($0.timeIntervalSince1970 - $1.timeIntervalSince1970) < 0.000_001
        }
    }
    try await roundTrip(client, Data((0...255).map(UInt8.init)), as: "bytea")
    try await roundTrip(client, Data(), as: "bytea")
    try await roundTrip(client, ["a", "b,c", "{d}", "\"e\"", "", "NULL"], as: "text[]")
    try await roundTrip(client, [Int64.min, 0, Int64.max], as: "int8[]")
    try await roundTrip(client, [String](), as: "text[]")
    try await roundTrip(client, [UUID(), UUID()], as: "uuid[]")

    // Optionals bound as NULL, and NULL cells decoded as nil.
    let noInt: Int64? = nil
    let noText: String? = nil
    let noID: UUID? = nil
    try await roundTrip(client, noInt, as: "int8")
    try await roundTrip(client, noText, as: "text")
    try await roundTrip(client, noID, as: "uuid")
    let someText: String? = "present"
    try await roundTrip(client, someText, as: "text")
    let nulls = try await q(
        client, "roundtrip",
        "SELECT \(noInt)::int8 AS a, NULL::text AS b, NULL::uuid AS c, NULL::timestamptz AS d, \(noInt) IS NULL AS e"
    ).single()
    let (a, b, c, d, e) = try nulls.decode((Int64?, String?, UUID?, Date?, Bool).self)
    check(a == nil && b == nil && c == nil && d == nil && e, "nulls")

    // Arrays with a NULL element.
    let sites = try await q(client, "roundtrip", "SELECT ARRAY['hip', NULL, 'knee'] AS sites").single()
    check(try sites.decode([String?].self, at: 0) == ["hip", nil, "knee"], "array with NULL")
    do {
        _ = try sites.decode([String].self, at: 0)
        stats.fail("NULL element into [String] did not throw")
    } catch {}

    // JSON.
    let payload = Payload(name: "squats ✓", values: [3, 12], nested: ["hold_s": 30])
    let json = try await q(
        client, "roundtrip", "SELECT \(try PostgresJSON(payload)) AS b, \(try PostgresJSON(payload))::json AS j"
    ).single()
    check(try json.decode(PostgresJSON<Payload>.self, at: 0).value == payload, "jsonb")
    check(try json.decode(PostgresJSON<Payload>.self, named: "j").value == payload, "json")

    // Binary timestamps under odd session settings, on one connection.
    try await client.withConnection { connection in
        try await x(connection, "roundtrip", "SET DateStyle = 'SQL, DMY'")
        try await x(connection, "roundtrip", "SET TimeZone = 'Pacific/Chatham'")
        let row = try await q(
            connection, "roundtrip",
            "SELECT '2026-11-26 13:45:19.123456+00'::timestamptz, '2026-11-26 13:45:19'::timestamp, '2026-11-26'::date"
        ).single()
        let (instant, local, day) = try row.decode((Date, Date, Date).self)
        check(abs(instant.timeIntervalSince1970 - 1_795_700_719.123456) < 0.000_001, "timestamptz")
        check(local.timeIntervalSince1970 == 1_795_700_719 && day.timeIntervalSince1970 == 1_795_651_200, "dates")
        try await x(connection, "roundtrip", "RESET ALL")
    }

    // A table round trip with every type in one row (many binds in one buffer), and multi-row results.
    try await x(client, "roundtrip", "DROP TABLE IF EXISTS samples")
    try await x(
        client, "roundtrip",
        """
        CREATE TABLE samples (id uuid PRIMARY KEY, flag boolean, small int2, count int4, big int8,
            ratio float8, label text, at timestamptz, raw bytea, tags text[], extra jsonb)
        """)
    for i in 0..<10 {
        let affected = try await x(
            client, "roundtrip",
            """
            INSERT INTO samples VALUES (\(UUID()), \(i % 2 == 0), \(Int16(-7)), \(Int32(70_000 + i)), \(Int64(1) << 50),
                \(0.25), \("Knie — links \(i)"), \(Date()), \(Data([0, 1, 2, 255])), \(["a", "b"]),
                \(try PostgresJSON(["k": "v\(i)"])))
            """)
        check(affected == 1, "insert affected rows")
    }
    let rows = try await q(client, "roundtrip", "SELECT * FROM samples ORDER BY count")
    check(rows.count == 10, "10 rows")
    for row in rows {
        _ = try row.decode(
            (UUID, Bool, Int16, Int32, Int64, Double, String, Date, Data, [String], PostgresJSON<[String: String]>)
                .self)
    }
    let updated = try await x(client, "roundtrip", "UPDATE samples SET flag = NOT flag")
    check(updated == 10, "update affected rows")
}

func decodingErrors(_ client: PostgresClient) async throws {
    // Each decode throws after the PGresult was created and handed to PostgresRows.
    let row = try await q(client, "decode-error", "SELECT 'seven'::text AS severity, NULL::int4 AS pain_during").single()
    let cases: [(String, () throws -> Void)] = [
        ("type mismatch", { _ = try row.decode(Int.self, named: "severity") }),
        ("NULL into non-optional", { _ = try row.decode(Int.self, named: "pain_during") }),
        ("missing column", { _ = try row.decode(Int.self, named: "missing") }),
        ("index out of range", { _ = try row.decode(Int.self, at: 5) }),
        ("String from int", { _ = try row.decode((String, String).self) }),
    ]
    for (label, body) in cases {
        do {
            try body()
            stats.fail("\(label): no error")
        } catch let error as PostgresError {
            check(error.code == .decoding, "\(label): \(error)")
        }
    }
    // Decoding errors thrown straight out of the query expression, so the rows die during unwinding.
    await expectPostgresError("narrowing overflow", { $0.code == .decoding }) {
        _ = try await q(client, "decode-error", "SELECT 70000::int4 AS n").single().decode(Int16.self, at: 0)
    }
    await expectPostgresError("NULL into UUID", { $0.code == .decoding }) {
        _ = try await q(client, "decode-error", "SELECT NULL::uuid").single().decode(UUID.self, at: 0)
    }
    await expectPostgresError("uuid as Date", { $0.code == .decoding }) {
        _ = try await q(client, "decode-error", "SELECT gen_random_uuid()").single().decode(Date.self, at: 0)
    }
    await expectPostgresError("bad JSON shape", { $0.code == .decoding }) {
        _ = try await q(client, "decode-error", "SELECT '{\"x\":1}'::jsonb").single()
            .decode(PostgresJSON<Payload>.self, at: 0)
    }
    await expectPostgresError("single() of zero rows", { $0.code == .decoding }) {
        _ = try await q(client, "decode-error", "SELECT 1 WHERE false").single()
    }
    await expectPostgresError("single() of two rows", { $0.code == .decoding }) {
        _ = try await q(client, "decode-error", "SELECT * FROM generate_series(1, 2)").single()
    }
    // A decoding error that escapes withConnection.
    await expectPostgresError("decode error inside withConnection", { $0.code == .decoding }) {
        try await client.withConnection { connection in
            _ = try await q(connection, "decode-error", "SELECT \("text")::text").single().decode(Bool.self, at: 0)
        }
    }
}

func serverErrors(_ client: PostgresClient) async throws {
    try await x(client, "setup", "DROP TABLE IF EXISTS pains")
    try await x(
        client, "setup",
        "CREATE TABLE pains (id int PRIMARY KEY, severity int CONSTRAINT severity_range CHECK (severity BETWEEN 0 AND 10))")
    try await x(client, "setup", "INSERT INTO pains VALUES (1, 3)")
    await expectPostgresError("unique", { $0.isUniqueViolation && $0.constraint == "pains_pkey" }) {
        try await x(client, "server-error", "INSERT INTO pains VALUES (1, 4)")
    }
    await expectPostgresError("unique with binds", { $0.isUniqueViolation }) {
        try await x(client, "server-error", "INSERT INTO pains VALUES (\(Int32(1)), \(Int32(4)))")
    }
    await expectPostgresError("check", { $0.isCheckViolation && $0.constraint == "severity_range" }) {
        try await x(client, "server-error", "INSERT INTO pains VALUES (2, 11)")
    }
    await expectPostgresError("syntax", { $0.sqlState == "42601" && $0.code == .server }) {
        try await x(client, "server-error", "SELEC 1")
    }
    await expectPostgresError("NUL byte", { $0.sqlState == "22021" && $0.code == .server }) {
        try await q(client, "server-error", "SELECT \("before\u{0}after")::text")
    }
    await expectPostgresError("bad parameter type", { $0.code == .server }) {
        try await q(client, "server-error", "SELECT \("not a number")::int4")
    }
    // Rows were already received when the error came: libpq discards the partial result.
    await expectPostgresError("error after rows", { $0.sqlState == "22012" }) {
        try await q(client, "server-error", "SELECT 1 / (g - 3000) FROM generate_series(1, 5000) g")
    }
    // PQexec paths (executeScript): a good multi-statement script, then a failing one.
    stats.statement("script")
    try await client.withConnection {
        try await $0.executeScript("CREATE TEMP TABLE s1 (a int); INSERT INTO s1 VALUES (1), (2); DROP TABLE s1;")
    }
    stats.statement("script")
    try await client.withConnection { try await $0.executeScript("") }
    await expectPostgresError("script error", { $0.sqlState == "42601" }) {
        stats.statement("script")
        try await client.withConnection { try await $0.executeScript("SELECT 1; SELEC 2; SELECT 3;") }
    }
}

func injection(_ client: PostgresClient) async throws {
    let attempts = [
        "'; DROP TABLE notes; --", "Robert'); DELETE FROM notes WHERE ('1'='1", "$1",
        "\\'; SELECT pg_sleep(10); --", "1 OR 1=1", "' UNION SELECT version() --", "E'\\x27'",
    ]
    try await x(client, "setup", "DROP TABLE IF EXISTS notes")
    try await x(client, "setup", "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
    for attempt in attempts { try await x(client, "injection", "INSERT INTO notes (body) VALUES (\(attempt))") }
    let rows = try await q(client, "injection", "SELECT body FROM notes ORDER BY id")
    check(try rows.map { try $0.decode(String.self, at: 0) } == attempts, "injection verbatim")
}

func transactions(_ client: PostgresClient, deadlocks: Bool) async throws {
    try await x(client, "setup", "DROP TABLE IF EXISTS runs, shifts, counters")
    try await x(client, "setup", "CREATE TABLE runs (id int PRIMARY KEY)")
    // Rolls back on a thrown Swift error.
    do {
        try await client.withTransaction { connection in
            try await x(connection, "transaction", "INSERT INTO runs VALUES (1)")
            throw Abort()
        }
        stats.fail("Abort not thrown")
    } catch is Abort {}
    // Rolls back on a server error.
    await expectPostgresError("server error in transaction", { $0.isUniqueViolation }) {
        try await client.withTransaction { connection in
            try await x(connection, "transaction", "INSERT INTO runs VALUES (5)")
            try await x(connection, "transaction", "INSERT INTO runs VALUES (5)")
        }
    }
    check(try await q(client, "transaction", "SELECT count(*) FROM runs").single().decode(Int.self, at: 0) == 0,
          "rolled back")
    // Commits.
    try await client.withTransaction { try await x($0, "transaction", "INSERT INTO runs VALUES (2)") }
    check(try await q(client, "transaction", "SELECT count(*) FROM runs").single().decode(Int.self, at: 0) == 1,
          "committed")

    // Write skew under SERIALIZABLE: 40001 and a retry.
    try await x(client, "setup", "CREATE TABLE shifts (doctor text, on_call boolean)")
    try await x(client, "setup", "INSERT INTO shifts VALUES ('a', true), ('b', true)")
    let attempts = AttemptCounter()
    let barrier = AsyncBarrier(count: 2)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for doctor in ["a", "b"] {
            group.addTask {
                try await client.withTransaction(isolation: .serializable, maxAttempts: 5) { connection in
                    let attempt = await attempts.next()
                    _ = try await q(connection, "transaction", "SELECT count(*) FROM shifts WHERE on_call")
                    if attempt <= 2 { await barrier.arriveAndWait() }
                    try await x(connection, "transaction", "UPDATE shifts SET on_call = false WHERE doctor = \(doctor)")
                }
            }
        }
        try await group.waitForAll()
    }
    let attemptCount = await attempts.count
    check(attemptCount >= 3, "serialization retry happened (attempts \(attemptCount))")

    guard deadlocks else { return }
    // Deadlock: without retries one side fails with 40P01; with retries both commit.
    try await x(client, "setup", "CREATE TABLE counters (id int PRIMARY KEY, n int)")
    try await x(client, "setup", "INSERT INTO counters VALUES (1, 0), (2, 0)")
    let deadlockBarrier = AsyncBarrier(count: 2)
    let outcomes = try await withThrowingTaskGroup(of: PostgresError?.self) { group in
        for (first, second) in [(1, 2), (2, 1)] {
            group.addTask {
                do {
                    try await client.withTransaction(maxAttempts: 1) { connection in
                        try await x(connection, "transaction", "UPDATE counters SET n = n + 1 WHERE id = \(first)")
                        await deadlockBarrier.arriveAndWait()
                        try await x(connection, "transaction", "UPDATE counters SET n = n + 1 WHERE id = \(second)")
                    }
                    return nil
                } catch let error as PostgresError {
                    return error
                }
            }
        }
        return try await group.reduce(into: []) { $0.append($1) }
    }
    check(outcomes.compactMap { $0 }.count == 1 && outcomes.compactMap { $0 }.first?.isDeadlock == true, "deadlock")
    let retryBarrier = AsyncBarrier(count: 2)
    let retryAttempts = AttemptCounter()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for (first, second) in [(1, 2), (2, 1)] {
            group.addTask {
                try await client.withTransaction(maxAttempts: 3) { connection in
                    let attempt = await retryAttempts.next()
                    try await x(connection, "transaction", "UPDATE counters SET n = n + 1 WHERE id = \(first)")
                    if attempt <= 2 { await retryBarrier.arriveAndWait() }
                    try await x(connection, "transaction", "UPDATE counters SET n = n + 1 WHERE id = \(second)")
                }
            }
        }
        try await group.waitForAll()
    }
}

func fiftyTasksOverFour(_ databaseURL: String, admin: PostgresClient) async throws {
    let application = "leak-pool-\(UUID().uuidString.prefix(8))"
    let tracker = ConcurrencyTracker()
    try await withClient(databaseURL, maxConnections: 4, applicationName: application) { client in
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for task in 0..<50 {
                group.addTask {
                    try await client.withConnection { connection in
                        await tracker.enter()
                        let row = try await q(
                            connection, "pool", "SELECT pg_backend_pid(), \(Int32(task))::int4, pg_sleep(0.01)::text"
                        ).single()
                        await tracker.leave()
                        let (pid, echoed) = try row.decode((Int32, Int32).self)
                        check(echoed == Int32(task), "echo")
                        return pid
                    }
                }
            }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        check(pids.count <= 4, "pids \(pids.count)")
        let peak = await tracker.peak
        check(peak <= 4 && peak >= 2, "peak \(peak)")
        let open = try await q(admin, "pool", "SELECT count(*) FROM pg_stat_activity WHERE application_name = \(application)")
            .single().decode(Int.self, at: 0)
        check(open <= 4, "open \(open)")
    }
}

func cancellation(_ databaseURL: String, admin: PostgresClient) async throws {
    let application = "leak-cancel-\(UUID().uuidString.prefix(8))"
    try await withClient(databaseURL, maxConnections: 1, applicationName: application) { client in
        // A running statement is cancelled by task cancellation (PQcancel): 57014.
        let task = Task { try await q(client, "cancel", "SELECT pg_sleep(30)") }
        while try await q(
            admin, "cancel",
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND application_name = \(application)"
        ).single().decode(Int.self, at: 0) == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        await expectPostgresError("cancelled statement", { $0.isQueryCanceled }) { _ = try await task.value }
        check(try await q(client, "cancel", "SELECT 1::int4").single().decode(Int32.self, at: 0) == 1, "after cancel")

        // A task waiting for a connection honours cancellation; so does the holder.
        let holding = AsyncBarrier(count: 2)
        let holder = Task {
            try await client.withConnection { connection in
                await holding.arriveAndWait()
                _ = try await q(connection, "cancel", "SELECT pg_sleep(2)")
            }
        }
        await holding.arriveAndWait()
        let waiter = Task { try await client.withConnection { _ in "got one" } }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        do {
            _ = try await waiter.value
            stats.fail("waiter not cancelled")
        } catch is CancellationError {}
        holder.cancel()
        _ = try? await holder.value
        check(try await q(client, "cancel", "SELECT 7::int4").single().decode(Int32.self, at: 0) == 7, "after cancel 2")
        // Cancellation before the statement starts (Task.checkCancellation in run).
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await q(client, "cancel", "SELECT 1")
        }
        do {
            _ = try await early.value
            stats.fail("early cancel not thrown")
        } catch is CancellationError {}
    }
}

func fillPool(_ client: PostgresClient, connections: Int) async throws {
    let barrier = AsyncBarrier(count: connections)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<connections {
            group.addTask {
                try await client.withConnection { connection in
                    await barrier.arriveAndWait()
                    _ = try await q(connection, "recovery", "SELECT 1")
                }
            }
        }
        try await group.waitForAll()
    }
}

func recovery(_ databaseURL: String, admin: PostgresClient) async throws {
    let application = "leak-recover-\(UUID().uuidString.prefix(8))"
    try await withClient(databaseURL, maxConnections: 4, applicationName: application) { client in
        // Idle connections killed: the pool replaces them.
        try await fillPool(client, connections: 4)
        let killed = try await q(
            admin, "recovery",
            """
            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))
            FROM pg_stat_activity WHERE application_name = \(application)
            """
        ).single().decode(Int.self, at: 0)
        check(killed == 4, "killed \(killed)")
        for _ in 0..<20 {
            check(try await q(client, "recovery", "SELECT 1::int4").single().decode(Int32.self, at: 0) == 1, "recovered")
        }
        try await fillPool(client, connections: 4)

        // A connection killed in the middle of a statement: the error path with a broken connection.
        let running = Task { try await q(client, "recovery", "SELECT pg_sleep(30)") }
        while try await q(
            admin, "recovery",
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND application_name = \(application)"
        ).single().decode(Int.self, at: 0) == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = try await q(
            admin, "recovery",
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE state = 'active' AND application_name = \(application)"
        )
        await expectPostgresError("killed mid-statement", { $0.code == .connectionClosed || $0.sqlState == "57P01" }) {
            _ = try await running.value
        }
        // A connection killed inside a transaction.
        await expectPostgresError("killed inside transaction", { _ in true }) {
            try await client.withTransaction(maxAttempts: 1) { connection in
                let pid = try await q(connection, "recovery", "SELECT pg_backend_pid()").single().decode(Int32.self, at: 0)
                _ = try await q(admin, "recovery", "SELECT pg_terminate_backend(\(pid), 5000)")
                try await x(connection, "recovery", "SELECT 1")
            }
        }
        try await fillPool(client, connections: 4)
    }
}

func connectionFailures(_ adminURL: String, tcpURL: String?) async {
    await expectPostgresError("bad port", { $0.code == .connectionFailed }) {
        _ = try await withClient("postgresql://rundiary@127.0.0.1:1/rundiary?connect_timeout=2") {
            try await q($0, "connect-failure", "SELECT 1")
        }
    }
    await expectPostgresError("bad socket port", { $0.code == .connectionFailed }) {
        var components = URLComponents(string: adminURL)!
        components.queryItems = components.queryItems?.map { $0.name == "port" ? URLQueryItem(name: "port", value: "1") : $0 }
        _ = try await withClient(components.string!) { try await q($0, "connect-failure", "SELECT 1") }
    }
    await expectPostgresError("missing database", { $0.code == .databaseMissing }) {
        _ = try await withClient(url(adminURL, database: "no_such_database_\(UInt32.random(in: 0...UInt32.max))")) {
            try await q($0, "connect-failure", "SELECT 1")
        }
    }
    await expectPostgresError("malformed connection string", { $0.code == .invalidConfiguration }) {
        _ = try await withClient("postgresql://u:s3cr3t@localhost/db?s3cr3t_option=s3cr3t") {
            try await q($0, "connect-failure", "SELECT 1")
        }
    }
    if let tcpURL {
        var components = URLComponents(string: tcpURL)!
        components.password = "Wr0ng-pa55-\(UUID().uuidString)"
        await expectPostgresError("wrong password", { $0.code == .authenticationFailed }) {
            _ = try await withClient(components.string!) { try await q($0, "connect-failure", "SELECT 1") }
        }
    }
    // A client that is shut down refuses work.
    let client = PostgresClient(
        configuration: PostgresConfiguration(connectionString: adminURL, maxConnections: 2), logger: logger)
    _ = try? await q(client, "connect-failure", "SELECT 1")
    await client.shutdown()
    await expectPostgresError("shut-down client", { $0.code == .poolClosed }) {
        try await q(client, "connect-failure", "SELECT 1")
    }
}

// MARK: - Main

@main
struct LeakCheck {
    static func main() async { await runLeakCheck() }
}

/// Not main-actor isolated: the workload runs on the global executor, as a server's request handlers do.
func runLeakCheck() async {
    do {
        let environment = ProcessInfo.processInfo.environment
        guard let adminURL = environment["DATABASE_URL"], !adminURL.isEmpty else {
            print("DATABASE_URL is not set")
            exit(2)
        }
        let tcpURL = environment["RUNDIARY_TEST_TCP_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let iterations = Int(environment["LEAKCHECK_ITERATIONS"] ?? "") ?? 20
        let name = "leakcheck_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let started = ContinuousClock.now
        do {
            try await withClient(adminURL, maxConnections: 2, applicationName: "leakcheck-admin") { admin in
                try await x(admin, "setup", PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
                let scratch = url(adminURL, database: name)
                do {
                    for iteration in 0..<iterations {
                        try await withClient(scratch, maxConnections: 4) { client in
                            try await typeRoundTrips(client)
                            try await decodingErrors(client)
                            try await serverErrors(client)
                            try await injection(client)
                            try await transactions(client, deadlocks: iteration % 5 == 0)
                        }
                        try await fiftyTasksOverFour(scratch, admin: admin)
                        try await cancellation(scratch, admin: admin)
                        try await recovery(scratch, admin: admin)
                        await connectionFailures(adminURL, tcpURL: tcpURL)
                        let s = stats.snapshot
                        print("iteration \(iteration + 1)/\(iterations): \(s.statements) statements so far, "
                              + "\(s.failures.count) failed checks, \(ContinuousClock.now - started)")
                    }
                } catch {
                    stats.fail("workload aborted: \(error)")
                }
                try await x(admin, "setup", PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
            }
        } catch {
            stats.fail("setup/teardown failed: \(error)")
        }
        let s = stats.snapshot
        print("statements by category: \(s.categories.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        print("total statements sent through the driver: \(s.statements) in \(iterations) iterations, "
              + "\(ContinuousClock.now - started)")
        if s.failures.isEmpty {
            print("all checks passed")
        } else {
            print("FAILED CHECKS (\(s.failures.count)):")
            s.failures.prefix(50).forEach { print("  \($0)") }
            exit(1)
        }
    }
}
