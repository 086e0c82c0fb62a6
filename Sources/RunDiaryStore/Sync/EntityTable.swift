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
    /// The statement reading records for a pull, before its WHERE clause: clocks as text, passed through as they are,
    /// and the names of the fields ever written (the keys of `clocks`).
    let pull: PostgresQuery
    /// Every column the upsert writes, in order: sync columns, then fields (a timestamp adds its offset).
    private let columns: [PostgresIdentifier]

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
        for field in schema.fields {
            fieldColumns.append(Self.identifier(field.name))
            if case .timestamp = field.type { fieldColumns.append(Self.identifier(Self.offsetColumn(field.name))) }
        }
        let syncColumns: [PostgresIdentifier] = ["id", "version", "deleted_hlc", "clocks", "field_versions"]
        self.columns = syncColumns + fieldColumns

        // clocks and field_versions travel as text: JSON is parsed once, in Swift.
        let fields = fieldColumns.joined(separator: ", ")
        self.select = "SELECT id, version, deleted_hlc, clocks::text, field_versions::text, \(fields) FROM \(table)"
        self.pull = "SELECT id, version, deleted_hlc, clocks::text, ARRAY(SELECT jsonb_object_keys(clocks)), \(fields) FROM \(table)"
    }

    /// The upsert of a JSON array of rows (``row(for:)``) for `userID`.
    func upsert(rows json: String, userID: UUID) -> PostgresQuery {
        let list = columns.joined(separator: ", ")
        let updates = (columns.dropFirst().map { "\($0) = EXCLUDED.\($0)" as PostgresQuery } + ["updated_at = now()"])
            .joined(separator: ", ")
        return """
            INSERT INTO \(table) (user_id, \(list))
            SELECT \(userID)::uuid, \(list) FROM jsonb_populate_recordset(NULL::\(table), \(json)::jsonb)
            ON CONFLICT (user_id, id) DO UPDATE SET \(updates)
            """
    }
}
