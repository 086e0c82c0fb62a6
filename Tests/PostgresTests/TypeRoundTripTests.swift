import Foundation
import Postgres
import RunDiaryTestSupport
import Testing

@Suite("Typed values round-trip through PostgreSQL")
struct TypeRoundTripTests {
    private func roundTrip<T: PostgresCodable & Equatable>(_ value: T, as sqlType: PostgresQuery) async throws -> T {
        try await TestDatabase.withClient { client in
            let query: PostgresQuery = "SELECT \(value)::\(sqlType) AS value"
            return try await client.query(query).single().decode(T.self, at: 0)
        }
    }

    @Test func booleans() async throws {
        #expect(try await roundTrip(true, as: "boolean") == true)
        #expect(try await roundTrip(false, as: "boolean") == false)
    }

    @Test(arguments: [Int16.min, -1, 0, 1, Int16.max])
    func int16(value: Int16) async throws {
        #expect(try await roundTrip(value, as: "int2") == value)
    }

    @Test(arguments: [Int32.min, -1, 0, 42, Int32.max])
    func int32(value: Int32) async throws {
        #expect(try await roundTrip(value, as: "int4") == value)
    }

    @Test(arguments: [Int64.min, -1, 0, 1 << 40, Int64.max])
    func int64(value: Int64) async throws {
        #expect(try await roundTrip(value, as: "int8") == value)
        #expect(try await roundTrip(Int(value), as: "int8") == Int(value))
    }

    @Test(arguments: [
        0.0, -0.0, 1.5, -2.25e-300, Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude,
        .infinity, -.infinity,
    ])
    func doubles(value: Double) async throws {
        let back = try await roundTrip(value, as: "float8")
        #expect(back == value)
        #expect(back.sign == value.sign)
    }

    @Test func nan() async throws {
        #expect(try await roundTrip(Double.nan, as: "float8").isNaN)
    }

    @Test(arguments: ["", "plain", "Hüftschmerz 🏃‍♀️ 膝", String(repeating: "x", count: 1 << 20), "quote ' \" \\ back"])
    func strings(value: String) async throws {
        #expect(try await roundTrip(value, as: "text") == value)
    }

    @Test func uuids() async throws {
        let value = UUID()
        #expect(try await roundTrip(value, as: "uuid") == value)
    }

    @Test func bytea() async throws {
        let every = Data((0...255).map(UInt8.init))
        #expect(try await roundTrip(every, as: "bytea") == every)
        #expect(try await roundTrip(Data(), as: "bytea") == Data())
    }

    @Test(arguments: [0.0, 1_795_000_000.123456, -2_208_988_800.5, 4_102_444_800.000001])
    func timestamps(secondsSince1970: Double) async throws {
        let value = Date(timeIntervalSince1970: secondsSince1970)
        let back = try await roundTrip(value, as: "timestamptz")
        #expect(abs(back.timeIntervalSince1970 - value.timeIntervalSince1970) < 0.000_001)
    }

    /// Binary timestamps do not depend on the session's DateStyle or TimeZone.
    @Test func timestampsIgnoreDateStyleAndTimeZone() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { client in
            try await client.withConnection { connection in
                try await connection.execute("SET DateStyle = 'SQL, DMY'")
                try await connection.execute("SET TimeZone = 'Pacific/Chatham'")
                let row = try await connection.query(
                    """
                    SELECT '2026-11-26 13:45:19.123456+00'::timestamptz, '2026-11-26 13:45:19'::timestamp,
                           '2026-11-26'::date
                    """
                ).single()
                let (instant, local, day) = try row.decode((Date, Date, Date).self)
                #expect(abs(instant.timeIntervalSince1970 - 1_795_700_719.123456) < 0.000_001)
                #expect(local.timeIntervalSince1970 == 1_795_700_719)
                #expect(day.timeIntervalSince1970 == 1_795_651_200)
                let sent = Date(timeIntervalSince1970: 1_795_700_719.5)
                let epoch = try await connection.query("SELECT extract(epoch FROM \(sent))::float8").single()
                #expect(try epoch.decode(Double.self, at: 0) == 1_795_700_719.5)
            }
        }
    }

    struct Payload: Codable, Equatable, Sendable {
        var name: String
        var values: [Int]
        var nested: [String: Double]?
    }

    @Test func jsonbViaCodable() async throws {
        let payload = Payload(name: "squats ✓", values: [3, 12], nested: ["hold_s": 30])
        try await TestDatabase.withClient { client in
            let row = try await client.query(
                "SELECT \(try PostgresJSON(payload)) AS b, \(try PostgresJSON(payload))::json AS j"
            ).single()
            #expect(try row.decode(PostgresJSON<Payload>.self, at: 0).value == payload)
            #expect(try row.decode(PostgresJSON<Payload>.self, named: "j").value == payload)
        }
    }

    @Test func arrays() async throws {
        #expect(
            try await roundTrip(["a", "b,c", "{d}", "\"e\"", "", "NULL"], as: "text[]")
                == ["a", "b,c", "{d}", "\"e\"", "", "NULL"])
        #expect(try await roundTrip([Int64.min, 0, Int64.max], as: "int8[]") == [Int64.min, 0, Int64.max])
        #expect(try await roundTrip([String](), as: "text[]") == [])
        let ids = [UUID(), UUID()]
        #expect(try await roundTrip(ids, as: "uuid[]") == ids)
        try await TestDatabase.withClient { client in
            let row = try await client.query("SELECT ARRAY['hip', NULL, 'knee'] AS sites").single()
            #expect(try row.decode([String?].self, at: 0) == ["hip", nil, "knee"])
            #expect(throws: PostgresError.self) { try row.decode([String].self, at: 0) }
        }
        #expect(try await roundTrip([nil, "hip", nil] as [String?], as: "text[]") == [nil, "hip", nil])
        let someIDs: [UUID?] = [UUID(), nil]
        #expect(try await roundTrip(someIDs, as: "uuid[]") == someIDs)
    }

    /// The header's has-nulls flag (PostgreSQL's array_recv does not check it; array_send and other readers trust it).
    @Test func arrayHeaderSaysWhetherAnElementIsNull() {
        func flag(_ array: [Int64?]) -> [UInt8] {
            var bytes: [UInt8] = []
            array.encode(into: &bytes)
            return Array(bytes[4..<8])
        }
        #expect(flag([1, 2]) == [0, 0, 0, 0])
        #expect(flag([]) == [0, 0, 0, 0])
        #expect(flag([1, nil]) == [0, 0, 0, 1])
        #expect(flag([nil]) == [0, 0, 0, 1])
    }

    @Test func nullsDecodeAsNilAndOptionalsBindAsNull() async throws {
        try await TestDatabase.withClient { client in
            let none: Int64? = nil
            let row = try await client.query(
                "SELECT \(none)::int8 AS a, NULL::text AS b, NULL::uuid AS c, NULL::timestamptz AS d, \(none) IS NULL AS e"
            ).single()
            let (a, b, c, d, e) = try row.decode((Int64?, String?, UUID?, Date?, Bool).self)
            #expect(a == nil && b == nil && c == nil && d == nil)
            #expect(e)
        }
    }

    @Test func valuesSurviveATableRoundTrip() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withClient(url: url) { client in
                try await client.execute(
                    """
                    CREATE TABLE samples (id uuid PRIMARY KEY, flag boolean, small int2, count int4, big int8,
                        ratio float8, label text, at timestamptz, raw bytea, tags text[], extra jsonb)
                    """)
                let id = UUID()
                let at = Date(timeIntervalSince1970: 1_795_700_719.25)
                let raw = Data([0, 1, 2, 255])
                let extra = try PostgresJSON(["k": "v"])
                try await client.execute(
                    """
                    INSERT INTO samples VALUES (\(id), \(true), \(Int16(-7)), \(Int32(70_000)), \(Int64(1) << 50),
                        \(0.25), \("Knie — links"), \(at), \(raw), \(["a", "b"]), \(extra))
                    """)
                let row = try await client.query("SELECT * FROM samples").single()
                let values = try row.decode(
                    (UUID, Bool, Int16, Int32, Int64, Double, String, Date, Data, [String], PostgresJSON<[String: String]>)
                        .self)
                #expect(values.0 == id)
                #expect(values.1 == true)
                #expect(values.2 == -7)
                #expect(values.3 == 70_000)
                #expect(values.4 == 1 << 50)
                #expect(values.5 == 0.25)
                #expect(values.6 == "Knie — links")
                #expect(values.7 == at)
                #expect(values.8 == raw)
                #expect(values.9 == ["a", "b"])
                #expect(values.10.value == ["k": "v"])
            }
        }
    }

    enum Surface: String, PostgresCodable, PostgresArrayElement {
        case treadmill, road, trail
    }

    enum Timing: Int32, PostgresCodable {
        case duringRun = 1
        case nextMorning = 3
    }

    @Test func rawRepresentableValuesBindAndDecodeDirectly() async throws {
        #expect(try await roundTrip(Surface.treadmill, as: "text") == .treadmill)
        #expect(try await roundTrip(Timing.nextMorning, as: "int4") == .nextMorning)
        #expect(try await roundTrip([Surface.road, .trail], as: "text[]") == [.road, .trail])
        try await TestDatabase.withClient { client in
            let row = try await client.query(
                "SELECT \(Surface.trail) = 'trail' AS text_form, \(Timing.duringRun) = 1 AS integer_form, 'moon' AS surface"
            ).single()
            #expect(try row.decode((Bool, Bool).self) == (true, true))
            let unknown = #expect(throws: PostgresError.self) { try row.decode(Surface.self, named: "surface") }
            #expect(unknown?.code == .decoding)
            #expect(unknown?.column == "surface")
            #expect(try row.decode(String.self, named: "surface") == "moon")
        }
    }

    /// A row keeps its result alive: it decodes after the rows it came from, and the client, are gone. Its cells are
    /// only lent (noncopyable and borrowed), so none can be kept past the call they were lent to.
    @Test func aRowOutlivesItsRowsAndClient() async throws {
        let row = try await TestDatabase.withClient { client in
            try await client.query("SELECT repeat('x', 100000) AS long, NULL::int4 AS nothing").single()
        }
        #expect(try row.decode(String.self, named: "long") == String(repeating: "x", count: 100_000))
        let (isNull, name, type) = try row.withCell(at: 1) { cell in (cell.isNull, cell.columnName, cell.type) }
        #expect(isNull && name == "nothing" && type == .int4)
    }

    @Test func typeMismatchNamesTheColumn() async throws {
        try await TestDatabase.withClient { client in
            let row = try await client.query("SELECT 'seven'::text AS severity, NULL::int4 AS pain_during").single()
            let mismatch = #expect(throws: PostgresError.self) { try row.decode(Int.self, named: "severity") }
            #expect(mismatch?.code == .decoding)
            #expect(mismatch?.column == "severity")
            let null = #expect(throws: PostgresError.self) { try row.decode(Int.self, named: "pain_during") }
            #expect(null?.column == "pain_during")
            #expect(throws: PostgresError.self) { try row.decode(Int.self, named: "missing") }
            #expect(throws: PostgresError.self) { try row.decode(Int.self, at: 5) }
            let narrow = try await client.query("SELECT 70000::int4 AS n").single()
            #expect(throws: PostgresError.self) { try narrow.decode(Int16.self, at: 0) }
        }
    }
}
