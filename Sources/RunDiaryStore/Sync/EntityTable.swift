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
    /// The columns ``state(from:)`` reads, in order.
    let selectColumns: PostgresQuery
    /// The statement reading records of a user, before its WHERE clause.
    let select: PostgresQuery
    /// Every column the upsert writes, in order: sync columns (the last the change as a pull sends it, migration 0011),
    /// then fields (a timestamp adds its offset).
    let columns: [PostgresIdentifier]
    /// ``columns`` as a list, the upsert's insert list and its `unnest` aliases.
    let columnList: PostgresQuery
    /// What follows each column's `unnest($n)` in the write's select list, in ``columns`` order: a cast where the
    /// column's array is bound as text, else nothing.
    let casts: [PostgresQuery]
    /// The upsert's `DO UPDATE SET` list: every column but the id from the row proposed, and `updated_at`.
    let conflictUpdates: PostgresQuery
    /// The names of this table's writes in the push's one writing statement: records it found stored, new records.
    let written: PostgresIdentifier
    let inserted: PostgresIdentifier

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
        // Timestamps, dates and enumeration sets are bound as text and read by PostgreSQL's own input functions, as
        // a JSON document's strings were; everything else is bound in its own binary type. The clocks, the field
        // versions and the stored change are JSON text, stored as sent (migrations 0011 and 0014).
        var casts: [PostgresQuery] = ["", "", "", "", "", ""]
        for field in schema.fields {
            let column = Self.identifier(field.name)
            fieldColumns.append(column)
            switch field.type {
            case .timestamp:
                fieldColumns.append(Self.identifier(Self.offsetColumn(field.name)))
                casts += ["::timestamptz", ""]
            case .date:
                casts.append("::date")
            case .enumerationSet:
                casts.append("::text[]")
            case .string, .enumeration, .timeZone, .integer, .number, .boolean, .reference:
                casts.append("")
            }
        }
        let syncColumns: [PostgresIdentifier] = ["id", "version", "deleted_hlc", "clocks", "field_versions", "pulled_change"]
        self.columns = syncColumns + fieldColumns
        self.columnList = columns.joined(separator: ", ")
        self.casts = casts
        self.conflictUpdates = (columns.dropFirst().map { "\($0) = EXCLUDED.\($0)" as PostgresQuery } + ["updated_at = now()"])
            .joined(separator: ", ")
        self.written = Self.identifier(name + "_written")
        self.inserted = Self.identifier(name + "_inserted")

        // clocks and field_versions are JSON text, parsed once, in Swift.
        let fields = fieldColumns.joined(separator: ", ")
        self.selectColumns = "id, version, deleted_hlc, clocks, field_versions, \(fields)"
        self.select = "SELECT \(selectColumns) FROM \(table)"
    }

    /// The ids a statement looks records up by, as a `FROM` item: `wanted(id)`, one row per id.
    static func wanted(_ ids: [UUID]) -> PostgresQuery {
        "unnest(\(ids)) AS wanted(id)"
    }

    /// The condition that finds the record of `userID` whose id is the current `wanted` row's, in a subquery
    /// laterally joined to ``wanted(_:)``: an equality on each column of the primary key.
    ///
    /// Not `id = ANY($ids)`: the push runs its statements' generic plans, in which the planner prices `= ANY` as ten
    /// lookups and, for a table that was small when the plan was made, chose to read the account's rows and filter
    /// them by id instead — every record of the account, on every push, once the table had grown (migration 0016).
    static func byKey(_ userID: UUID) -> PostgresQuery {
        "user_id = \(userID) AND id = wanted.id"
    }

    /// The records of `userID` among `ids`, columns as ``select`` reads them, each found by its primary key.
    ///
    /// `OFFSET 0` keeps the subquery a subquery, run once per id: flattened into a join, a generic plan made while the
    /// table was small read every record of the account in it and joined them with the ids by hash, on every push,
    /// however large the table grew (ScalingPlanTests).
    func records(_ ids: [UUID], of userID: UUID) -> PostgresQuery {
        "SELECT r.* FROM \(Self.wanted(ids)) CROSS JOIN LATERAL (\(select) WHERE \(Self.byKey(userID)) OFFSET 0) AS r"
    }
}
