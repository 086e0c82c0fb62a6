import Foundation
import Postgres
import RunDiaryModels

extension EntityTable {
    /// Reads a stored row (selected with ``select``) back into the state the merge works on.
    func state(from row: PostgresRow) throws -> RecordState {
        let (id, version, deleted, clocksText, versionsText) = try row.decode((UUID, Int64, String?, String, String).self)
        let clocks = try Self.object(clocksText, column: "clocks") { $0.stringValue.flatMap(HLC.init) }
        let fieldVersions = try Self.object(versionsText, column: "field_versions") { $0.integerValue }
        var fields: [String: JSONValue] = [:]
        var column = 5
        for field in schema.fields {
            let value = try Self.value(of: field, in: row, at: &column)
            // A field is part of the record once written: a cleared field keeps its key (null) and clock.
            if clocks[field.name] != nil { fields[field.name] = value }
        }
        return RecordState(
            entity: entity, id: id, fields: fields, clocks: clocks, fieldVersions: fieldVersions,
            deleted: try deleted.map { text in
                guard let clock = HLC(text) else {
                    throw PostgresError(code: .decoding, message: "invalid tombstone clock", column: "deleted_hlc")
                }
                return clock
            }, version: version)
    }

    /// The change a pull sends for `state`: what the upsert stores in `pulled_change` (the shared clock form), and
    /// what a pull builds for a row that has none (written before migration 0011 or around the sync API).
    static func pulledChange(_ state: RecordState, form: ClockForm = .shared) -> String {
        text(capacity: 1024) { state.appendChangeJSON(to: &$0, form: form) }
    }

    /// How a push writes a table's records: those it found stored and those it did not.
    enum Write {
        /// Records the push read from the table: `INSERT … ON CONFLICT (user_id, id) DO UPDATE`.
        case upsert
        /// Records in no table of the account when the push read them, under the account's row lock, which every
        /// writer of records holds until it commits: a plain `INSERT`, without the speculative insertion an
        /// `ON CONFLICT` clause costs per row (one more probe of the primary key, a speculative lock, docs/benchmarks.md).
        /// Were such a row there after all, the push fails on the primary key and stores nothing.
        case insert
    }

    /// The write of `states` (records of this table's entity) for `userID`: one typed array parameter per column,
    /// unnested into rows. Each row's `pulled_change` is written from the same state as its columns.
    ///
    /// The arrays are unnested in the select list, where PostgreSQL steps through them together row by row (all have
    /// one element per state), not in `FROM unnest(…) AS r(…)`, which first copies every row into a tuplestore: the
    /// insert of 100 rows cost 20–25 % less in PostgreSQL (docs/benchmarks.md).
    func write(_ states: [RecordState], userID: UUID, as write: Write) -> PostgresQuery {
        var arrays: [PostgresQuery] = [
            "\(states.map(\.id))", "\(states.map(\.version))", "\(states.map { $0.deleted?.description })",
            "\(states.map { state in Self.text(capacity: state.clocks.count * 90 + 2, state.appendClocksJSON) })",
            "\(states.map { state in Self.text(state.appendFieldVersionsJSON) })",
            "\(states.map { Self.pulledChange($0) })",
        ]
        for field in schema.fields {
            let values = states.map { $0.fields[field.name] ?? .null }
            switch field.type {
            case .string, .enumeration, .timeZone, .date:
                arrays.append("\(values.map(\.stringValue))")
            case .integer:
                arrays.append("\(values.map(\.integerValue))")
            case .number:
                arrays.append("\(values.map(\.numberValue))")
            case .boolean:
                arrays.append("\(values.map(\.boolValue))")
            case .reference:
                arrays.append("\(values.map { $0.stringValue.flatMap(UUID.init(text:)) })")
            case .enumerationSet:
                arrays.append("\(values.map { $0.arrayValue.map(Self.arrayLiteral) })")
            case .timestamp:
                arrays.append("\(values.map(\.stringValue))")
                arrays.append("\(values.map { $0.stringValue.flatMap(Timestamp.init).map(\.utcOffsetSeconds) })")
            }
        }
        precondition(arrays.count == columns.count, "one array per column")
        let unnested = zip(arrays, casts).map { array, cast -> PostgresQuery in "unnest(\(array))\(cast)" }
        let insert: PostgresQuery = """
            INSERT INTO \(table) (user_id, \(columnList))
            SELECT \(userID)::uuid, \(unnested.joined(separator: ", "))
            """
        switch write {
        case .insert: return insert
        case .upsert: return "\(insert) ON CONFLICT (user_id, id) DO UPDATE SET \(conflictUpdates)"
        }
    }

    /// A JSON object column's members, each read by `member`, which returns nil for a value it cannot take.
    private static func object<Value>(_ text: String, column: String, _ member: (JSONValue) -> Value?) throws
        -> [String: Value]
    {
        guard case .object(let members)? = try? JSONValue(parsing: Array(text.utf8)) else {
            throw PostgresError(code: .decoding, message: "not a JSON object", column: column)
        }
        var values: [String: Value] = [:]
        values.reserveCapacity(members.count)
        for (name, value) in members {
            guard let read = member(value) else {
                throw PostgresError(code: .decoding, message: "a member of another type than expected", column: column)
            }
            values[name] = read
        }
        return values
    }

    /// The text one of ``RecordState``'s JSON writers writes.
    private static func text(capacity: Int = 512, _ write: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        write(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A text array's input form (`{"a","b"}`), every element quoted: the parameter is read by `text[]`'s input function.
    private static func arrayLiteral(_ elements: [JSONValue]) -> String {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            for character in element.stringValue ?? "" {
                if character == "\"" || character == "\\" { text += "\\" }
                text.append(character)
            }
            text += "\""
        }
        return text + "}"
    }

    private static func value(of field: FieldSpec, in row: PostgresRow, at column: inout Int) throws -> JSONValue {
        defer { column += 1 }
        switch field.type {
        case .string, .enumeration, .timeZone:
            return try row.decode(String?.self, at: column).map(JSONValue.string) ?? .null
        case .integer:
            return try row.decode(Int64?.self, at: column).map(JSONValue.integer) ?? .null
        case .number:
            return try row.decode(Double?.self, at: column).map(JSONValue.number) ?? .null
        case .boolean:
            return try row.decode(Bool?.self, at: column).map(JSONValue.bool) ?? .null
        case .reference:
            return try row.decode(UUID?.self, at: column).map { .string($0.lowercasedText) } ?? .null
        case .enumerationSet:
            return try row.decode([String]?.self, at: column).map { .array($0.map(JSONValue.string)) } ?? .null
        case .date:
            guard let date = try row.decode(Date?.self, at: column) else { return .null }
            return .string(try LocalDate.utcDay(of: date).description)
        case .timestamp:
            let instant = try row.decode(Date?.self, at: column)
            column += 1
            let offset = try row.decode(Int32?.self, at: column)
            guard let instant else { return .null }
            return .string(Timestamp(instant, utcOffsetSeconds: offset ?? 0).description)
        }
    }
}

extension LocalDate {
    /// The calendar day (UTC) of a `date` column read as midnight UTC.
    static func utcDay(of date: Date) throws -> LocalDate {
        let days = Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))
        // Pushed dates are validated as LocalDate; only a row written around the API can be outside its years.
        guard let day = LocalDate(daysSinceEpoch: days) else {
            throw PostgresError(code: .decoding, message: "date outside the years 1…9999")
        }
        return day
    }
}
