import Foundation
import Postgres
import RunDiaryModels

extension EntityTable {
    /// Reads a stored row (selected with ``select``) back into the state the merge works on.
    func state(from row: PostgresRow) throws -> RecordState {
        let (id, version, deleted, clocksText, versionsText) = try row.decode((UUID, Int64, String?, String, String).self)
        let clocks = try JSONDecoder().decode([String: HLC].self, from: Data(clocksText.utf8))
        let fieldVersions = try JSONDecoder().decode([String: Int64].self, from: Data(versionsText.utf8))
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

    /// Reads a row selected with ``pull`` into a change for a pull, without parsing its clocks.
    func change(from row: PostgresRow) throws -> PulledChange {
        let (id, version, deleted, clocks, written) = try row.decode((UUID, Int64, String?, String, [String]).self)
        let names = Set(written)
        var fields: [(String, JSONValue)] = []
        fields.reserveCapacity(names.count)
        var column = 5
        for field in schema.fields {
            let value = try Self.value(of: field, in: row, at: &column)
            if names.contains(field.name) { fields.append((field.name, value)) }
        }
        return PulledChange(
            entity: entity, id: id, version: version, deleted: deleted != nil, fields: fields, clocksJSON: clocks)
    }

    /// The row a state is stored as: a JSON object keyed by column, for ``upsert(rows:userID:)``'s `jsonb_populate_recordset`.
    func row(for state: RecordState) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(state.id.uuidString.lowercased()),
            "version": .integer(state.version),
            "deleted_hlc": state.deleted.map { .string($0.description) } ?? .null,
            "clocks": .object(state.clocks.mapValues { .string($0.description) }),
            "field_versions": .object(state.fieldVersions.mapValues { .integer($0) }),
        ]
        for field in schema.fields {
            let value = state.fields[field.name] ?? .null
            object[field.name] = value
            if case .timestamp = field.type {
                let offset = value.stringValue.flatMap(Timestamp.init).map { JSONValue.integer(Int64($0.utcOffsetSeconds)) }
                object[Self.offsetColumn(field.name)] = offset ?? .null
            }
        }
        return .object(object)
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
            return try row.decode(UUID?.self, at: column).map { .string($0.uuidString.lowercased()) } ?? .null
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
