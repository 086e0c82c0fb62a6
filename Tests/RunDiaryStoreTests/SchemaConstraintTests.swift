import Foundation
import Postgres
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@testable import RunDiaryStore

/// The record tables' constraints (written by hand in the migrations: a column's own rule as its domain's CHECK, a
/// rule relating columns as the table's) and the shared schema (which every client and the server validate with) must
/// refuse exactly the same values, or a value the server accepted could fail the push transaction. Each field is
/// probed at its limits with real inserts, and the number of CHECK constraints per table and its columns' domains
/// must be the number the schema accounts for, so that neither side can drift.
@Suite("The tables' constraints are the shared schema's rules")
struct SchemaConstraintTests {
    /// A value for one column, bound with the type the column needs.
    enum Probe: Sendable, CustomStringConvertible {
        case integer(Int64), number(Double), text(String), texts([String]), date(String), instant(Date), id(UUID)
        case boolean(Bool)

        var sql: PostgresQuery {
            switch self {
            case .integer(let value): "\(value)"
            case .number(let value): "\(value)"
            case .text(let value): "\(value)"
            case .texts(let value): "\(value)"
            case .date(let value): "\(value)::date"
            case .instant(let value): "\(value)"
            case .id(let value): "\(value)"
            case .boolean(let value): "\(value)"
            }
        }

        var description: String {
            switch self {
            case .integer(let value): "\(value)"
            case .number(let value): "\(value)"
            case .text(let value): "a text of \(value.unicodeScalars.count) characters"
            case .texts(let value): "\(value)"
            case .date(let value): value
            case .instant(let value): "\(value)"
            case .id(let value): "\(value)"
            case .boolean(let value): "\(value)"
            }
        }
    }

    /// The values at the edges of a field's type: those the schema accepts and those it refuses.
    static func edges(of type: FieldType) -> (accepted: [Probe], refused: [Probe]) {
        switch type {
        case .integer(let range):
            return (
                [.integer(range.lowerBound), .integer(range.upperBound)], [.integer(range.lowerBound - 1), .integer(range.upperBound + 1)]
            )
        case .number(let range):
            return (
                [.number(range.lowerBound), .number(range.upperBound)],
                [.number(range.lowerBound.nextDown), .number(range.upperBound.nextUp)]
            )
        case .string(let maxLength), .timeZone(let maxLength):
            // "é" as one scalar (U+00E9) but two UTF-8 bytes: both sides count scalars.
            return ([.text(String(repeating: "é", count: maxLength))], [.text(String(repeating: "é", count: maxLength + 1))])
        case .enumeration(let allowed):
            return (allowed.map(Probe.text), [.text("no_such_code")])
        case .enumerationSet(let allowed):
            return ([.texts(allowed), .texts([])], [.texts(["no_such_code"]), .texts([allowed[0], "no_such_code"])])
        case .boolean, .timestamp, .date, .reference:
            return ([], [])
        }
    }

    /// A value the schema accepts, for a required field or a rule's other side.
    static func acceptable(_ type: FieldType) -> Probe {
        switch type {
        case .integer(let range): .integer(range.lowerBound)
        case .number(let range): .number(range.lowerBound)
        case .string, .timeZone: .text("UTC")
        case .enumeration(let allowed): .text(allowed[0])
        case .enumerationSet: .texts([])
        case .boolean: .boolean(true)
        case .timestamp: .instant(Date(timeIntervalSince1970: 1_790_000_000))
        case .date: .date("2026-11-29")
        case .reference: .id(UUID())
        }
    }

    /// Inserts one record of `entity` with these column values: a tombstone (no required fields) or a live record.
    static func insert(
        _ entity: EntityKind, _ values: [String: Probe], tombstone: Bool, user: UUID, into client: PostgresClient
    ) async throws {
        let table = try PostgresIdentifier(validating: EntityTable.name(of: entity))
        let names = values.keys.sorted()
        let columns = try names.map { try PostgresIdentifier(validating: $0) }
        let deleted: String? = tombstone ? "2026-11-29T10:00:00.000Z-0000-00000000-0000-0000-0000-000000000001" : nil
        let head: PostgresQuery = "user_id, id, version, deleted_hlc"
        let columnList = columns.isEmpty ? head : [head, columns.joined(separator: ", ")].joined(separator: ", ")
        let valueList = ([("\(user), \(UUID()), 1, \(deleted)" as PostgresQuery)] + names.map { values[$0]!.sql })
            .joined(separator: ", ")
        try await client.execute("INSERT INTO \(table) (\(columnList)) VALUES (\(valueList))")
    }

    /// Whether the insert was refused by a CHECK constraint; any other failure is the test's own error.
    static func refused(_ insert: () async throws -> Void) async throws -> Bool {
        do {
            try await insert()
            return false
        } catch let error as PostgresError where error.isCheckViolation {
            return true
        }
    }

    /// Whether the probe of a field is also its wire value: a timestamp's probe is its offset column, and a time
    /// zone's is only as long as one may be (the schema also wants a real IANA name, which the table cannot know).
    static func checksWireValue(_ field: FieldSpec) -> Bool {
        switch field.type {
        case .timestamp, .timeZone: false
        default: true
        }
    }

    static func columns(of field: FieldSpec) -> [String] {
        if case .timestamp = field.type { return [field.name, EntityTable.offsetColumn(field.name)] }
        return [field.name]
    }

    @Test("every field refuses in the table exactly what the schema refuses, at both edges", arguments: EntityKind.allCases)
    func fieldEdges(entity: EntityKind) async throws {
        try await TestDatabase.withMigratedDatabase(maxConnections: 1) { _, client in
            let user = UUID()
            try await client.execute("INSERT INTO users (id, email) VALUES (\(user), \("constraints@example.org"))")
            let schema = EntitySchema.schema(for: entity)
            for field in schema.fields {
                var (accepted, refused) = Self.edges(of: field.type)
                var column = field.name
                if case .timestamp = field.type {
                    // The instant has no CHECK; the UTC offset it was written with has the models' bounds.
                    column = EntityTable.offsetColumn(field.name)
                    let range = Timestamp.utcOffsetRange
                    accepted = [.integer(Int64(range.lowerBound)), .integer(Int64(range.upperBound))]
                    refused = [.integer(Int64(range.lowerBound) - 1), .integer(Int64(range.upperBound) + 1)]
                }
                for probe in accepted {
                    #expect(
                        try await !Self.refused {
                            try await Self.insert(entity, [column: probe], tombstone: true, user: user, into: client)
                        },
                        "\(entity.rawValue).\(column) = \(probe) is valid in the schema but refused by the table")
                    #expect(!Self.checksWireValue(field) || field.validate(Self.wire(probe)) == nil, "\(field.name): \(probe)")
                }
                for probe in refused {
                    #expect(
                        try await Self.refused {
                            try await Self.insert(entity, [column: probe], tombstone: true, user: user, into: client)
                        },
                        "\(entity.rawValue).\(column) = \(probe) is invalid in the schema but the table stores it")
                    #expect(!Self.checksWireValue(field) || field.validate(Self.wire(probe)) != nil, "\(field.name): \(probe)")
                }
            }
        }
    }

    @Test("a live record needs every required field, as in the schema; a tombstone needs none", arguments: EntityKind.allCases)
    func requiredFields(entity: EntityKind) async throws {
        try await TestDatabase.withMigratedDatabase(maxConnections: 1) { _, client in
            let user = UUID()
            try await client.execute("INSERT INTO users (id, email) VALUES (\(user), \("required@example.org"))")
            let schema = EntitySchema.schema(for: entity)
            var minimal: [String: Probe] = [:]
            for field in schema.fields where field.isRequired {
                minimal[field.name] = Self.acceptable(field.type)
                if case .timestamp = field.type { minimal[EntityTable.offsetColumn(field.name)] = .integer(0) }
            }
            #expect(
                try await !Self.refused { try await Self.insert(entity, minimal, tombstone: false, user: user, into: client) },
                "\(entity.rawValue) with its required fields is refused by the table")
            #expect(try await !Self.refused { try await Self.insert(entity, [:], tombstone: true, user: user, into: client) })
            for field in schema.fields where field.isRequired {
                var missing = minimal
                for column in Self.columns(of: field) { missing[column] = nil }
                #expect(
                    try await Self.refused { try await Self.insert(entity, missing, tombstone: false, user: user, into: client) },
                    "\(entity.rawValue) without \(field.name) is stored, but the schema requires it")
            }
            // An optional field is optional in the table too: the minimal record above has none of them.
        }
    }

    @Test("every cross-field rule of the schema is a CHECK of the table", arguments: EntityKind.allCases)
    func crossFieldRules(entity: EntityKind) async throws {
        try await TestDatabase.withMigratedDatabase(maxConnections: 1) { _, client in
            let user = UUID()
            try await client.execute("INSERT INTO users (id, email) VALUES (\(user), \("rules@example.org"))")
            let schema = EntitySchema.schema(for: entity)
            for rule in schema.rules {
                let (breaking, keeping) = try Self.values(breaking: rule, in: schema)
                #expect(
                    try await Self.refused { try await Self.insert(entity, breaking, tombstone: true, user: user, into: client) },
                    "\(entity.rawValue): \(rule) holds in the schema but not in the table")
                #expect(
                    try await !Self.refused { try await Self.insert(entity, keeping, tombstone: true, user: user, into: client) },
                    "\(entity.rawValue): \(rule) refuses in the table what the schema accepts")
            }
        }
    }

    @Test("each table and its columns' domains have exactly the CHECK constraints the schema accounts for", arguments: EntityKind.allCases)
    func noConstraintOutsideTheSchema(entity: EntityKind) async throws {
        try await TestDatabase.withMigratedDatabase(maxConnections: 1) { _, client in
            let schema = EntitySchema.schema(for: entity)
            var expected = schema.rules.count
            for field in schema.fields {
                switch field.type {
                case .integer, .number, .string, .timeZone, .enumeration, .enumerationSet, .timestamp: expected += 1
                case .boolean, .date, .reference: break
                }
            }
            // And the one requiring the required fields of a record that is not a tombstone.
            if !schema.requiredFieldNames.isEmpty { expected += 1 }
            // A column's own rule is its domain's CHECK (migration 0018); a rule relating columns, the table's.
            let rows = try await client.query(
                """
                SELECT (SELECT count(*) FROM pg_constraint
                        WHERE contype = 'c' AND conrelid = to_regclass(\(EntityTable.name(of: entity)))),
                       (SELECT count(*) FROM pg_attribute a JOIN pg_constraint k ON k.contypid = a.atttypid
                        WHERE k.contype = 'c' AND a.attrelid = to_regclass(\(EntityTable.name(of: entity)))
                          AND a.attnum > 0 AND NOT a.attisdropped)
                """)
            let (own, domains) = try #require(rows.first).decode((Int64, Int64).self)
            #expect(
                own + domains == Int64(expected),
                "\(EntityTable.name(of: entity)): \(own) CHECKs, \(domains) in its domains; the schema accounts for \(expected)")
            // Every rule of a single column is its domain's: the table's own are the rules relating columns and the
            // one for a live record's required fields.
            #expect(
                own == Int64(schema.rules.count + (schema.requiredFieldNames.isEmpty ? 0 : 1)),
                "\(EntityTable.name(of: entity)) has \(own) CHECK constraints of its own")
        }
    }

    /// Changing a column's type to its domain (migration 0018) would reset its storage and compression to the type's
    /// defaults: the columns earlier migrations set keep their settings.
    @Test("columns keep the storage and compression earlier migrations gave them when their rule became a domain")
    func domainsKeepColumnSettings() async throws {
        try await TestDatabase.withMigratedDatabase(maxConnections: 1) { _, client in
            let columns = try await client.query(
                """
                SELECT attrelid::regclass::text || '.' || attname::text, format_type(atttypid, atttypmod),
                       attstorage::text, attcompression::text
                FROM pg_attribute
                WHERE (attrelid, attname) IN (('devices'::regclass, 'acknowledged'), ('device_acknowledgements'::regclass, 'entries'))
                ORDER BY 1
                """
            ).map { try $0.decode((String, String, String, String).self) }
            #expect(columns.map(\.0) == ["device_acknowledgements.entries", "devices.acknowledged"])
            for (column, type, storage, compression) in columns {
                #expect(type == column.replacingOccurrences(of: ".", with: "_"), "\(column) is of type \(type)")
                if column == "devices.acknowledged" {
                    // LZ4, migration 0013 (the test cluster's PostgreSQL has it; the record tables' JSON is tested too).
                    #expect(compression == "l", "\(column): compression \(compression)")
                } else {
                    // Stored uncompressed, migration 0015.
                    #expect(storage == "e", "\(column): storage \(storage)")
                }
            }
        }
    }

    /// Two records for a rule: one that breaks it, one that keeps it, both valid field by field.
    static func values(breaking rule: FieldRule, in schema: EntitySchema) throws -> ([String: Probe], [String: Probe]) {
        func spec(_ name: String) throws -> FieldSpec { try #require(schema.field(named: name)) }
        func low(_ type: FieldType) -> Probe {
            switch type {
            case .integer(let range): .integer(range.lowerBound)
            case .number(let range): .number(range.lowerBound)
            default: .date("2026-01-01")
            }
        }
        func high(_ type: FieldType) -> Probe {
            switch type {
            case .integer(let range): .integer(range.upperBound)
            case .number(let range): .number(range.upperBound)
            default: .date("2026-12-31")
            }
        }
        switch rule {
        case .notGreater(let field, let limit):
            let (f, l) = (try spec(field).type, try spec(limit).type)
            return ([field: high(f), limit: low(l)], [field: low(f), limit: high(l)])
        case .notLess(let field, let limit):
            let (f, l) = (try spec(field).type, try spec(limit).type)
            return ([field: low(f), limit: high(l)], [field: high(f), limit: low(l)])
        case .notFalse(let field, let whenField, let equals):
            return ([field: .boolean(false), whenField: .text(equals)], [field: .boolean(true), whenField: .text(equals)])
        }
    }

    /// The wire value of a probe, for the schema's own validation.
    static func wire(_ probe: Probe) -> JSONValue {
        switch probe {
        case .integer(let value): .integer(value)
        case .number(let value): .number(value)
        case .text(let value): .string(value)
        case .texts(let value): .array(value.map(JSONValue.string))
        case .date(let value): .string(value)
        case .instant: .null
        case .id(let value): .string(value.uuidString)
        case .boolean(let value): .bool(value)
        }
    }
}
