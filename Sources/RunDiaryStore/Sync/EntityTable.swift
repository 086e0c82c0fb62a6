import Foundation
import Postgres
import RunDiaryModels

/// How one entity is stored: its table, its typed columns (one per schema field, plus `<field>_offset_s` for
/// timestamps) and the statements that read and write it.
///
/// The statements are assembled once from the shared models' schema: table and column names are identifiers the
/// program derives from its own constants, never input, and every value travels as a bound parameter.
package struct EntityTable: Sendable {
    package let entity: EntityKind
    package let schema: EntitySchema
    /// The table's name, for reports.
    package let name: String
    /// The table's name in SQL.
    let table: PostgresIdentifier
    /// The statement reading records of a user, before its WHERE clause.
    let select: PostgresQuery
    /// The field columns, in schema order, as a pull's select list reads them.
    let pullFields: PostgresQuery
    /// As many typed NULLs as ``pullFields`` has columns: what the other tables' rows hold in this table's columns
    /// when one statement reads every table's changes (see ``SyncStore/pull(userID:deviceID:after:limit:)``).
    let pullNulls: PostgresQuery
    /// The number of columns in ``pullFields``.
    let pullFieldCount: Int
    /// Every column the upsert writes, in order: sync columns, then fields (a timestamp adds its offset).
    let columns: [PostgresIdentifier]
    /// The upsert's select list over `unnest(...) AS r(<columns>)`: each column, cast where its array is bound as text.
    let unnestedColumns: PostgresQuery
    /// The name of this table's write in the push's one writing statement.
    let written: PostgresIdentifier

    /// Every record table, in entity order.
    package static let all: [EntityTable] = EntityKind.allCases.map(EntityTable.init)

    /// The table holding `entity`'s records.
    package static func name(of entity: EntityKind) -> String {
        switch entity {
        case .run: "runs"
        case .painEntry: "pain_entries"
        case .plan: "plans"
        case .planItem: "plan_items"
        case .exerciseLog: "exercise_logs"
        case .gear: "gear"
        }
    }

    /// The column holding the UTC offset of a timestamp field.
    package static func offsetColumn(_ field: String) -> String { field + "_offset_s" }

    /// A table or column name derived from the shared schema: a program constant, so a bad one is a programming error.
    static func identifier(_ name: String) -> PostgresIdentifier {
        guard let identifier = try? PostgresIdentifier(validating: name) else {
            preconditionFailure("the schema names \(name), which is not a plain lowercase SQL identifier")
        }
        return identifier
    }

    init(_ entity: EntityKind) {
        self.entity = entity
        self.schema = EntitySchema.schema(for: entity)
        self.name = Self.name(of: entity)
        self.table = Self.identifier(name)

        var fieldColumns: [PostgresIdentifier] = []
        // Timestamps, dates, enumeration sets and the JSON columns are bound as text and read by PostgreSQL's own
        // input functions, as a JSON document's strings were; everything else is bound in its own binary type.
        var unnested: [PostgresQuery] = ["r.id", "r.version", "r.deleted_hlc", "r.clocks::jsonb", "r.field_versions::jsonb"]
        var nulls: [PostgresQuery] = []
        for field in schema.fields {
            let column = Self.identifier(field.name)
            fieldColumns.append(column)
            switch field.type {
            case .timestamp:
                let offset = Self.identifier(Self.offsetColumn(field.name))
                fieldColumns.append(offset)
                unnested.append("r.\(column)::timestamptz")
                unnested.append("r.\(offset)")
                nulls.append("NULL::timestamptz")
                nulls.append("NULL::int4")
            case .date:
                unnested.append("r.\(column)::date")
                nulls.append("NULL::date")
            case .enumerationSet:
                unnested.append("r.\(column)::text[]")
                nulls.append("NULL::text[]")
            case .string, .enumeration, .timeZone:
                unnested.append("r.\(column)")
                nulls.append("NULL::text")
            case .integer:
                unnested.append("r.\(column)")
                nulls.append("NULL::int8")
            case .number:
                unnested.append("r.\(column)")
                nulls.append("NULL::float8")
            case .boolean:
                unnested.append("r.\(column)")
                nulls.append("NULL::bool")
            case .reference:
                unnested.append("r.\(column)")
                nulls.append("NULL::uuid")
            }
        }
        let syncColumns: [PostgresIdentifier] = ["id", "version", "deleted_hlc", "clocks", "field_versions"]
        self.columns = syncColumns + fieldColumns
        self.unnestedColumns = unnested.joined(separator: ", ")
        self.written = Self.identifier(name + "_written")

        // clocks and field_versions travel as text: JSON is parsed once, in Swift.
        let fields = fieldColumns.joined(separator: ", ")
        self.select = "SELECT id, version, deleted_hlc, clocks::text, field_versions::text, \(fields) FROM \(table)"
        self.pullFields = fields
        self.pullNulls = nulls.joined(separator: ", ")
        self.pullFieldCount = fieldColumns.count
    }
}
