import Foundation
import Postgres
import RunDiaryModels

/// How one entity is stored: its table, its typed columns (one per schema field, plus `<field>_offset_s` for
/// timestamps) and the statements that read and write it.
///
/// The statements are assembled once from the shared models' schema: table and column names are program constants,
/// never input, and every value travels as a bound parameter.
public struct EntityTable: Sendable {
    public let entity: EntityKind
    public let schema: EntitySchema
    /// The table's name: a program constant, safe to put in SQL text.
    public let name: String
    /// The statement reading records of a user, before its WHERE clause.
    let selectSQL: String
    /// The statement reading records for a pull, before its WHERE clause: clocks as text, passed through as they are,
    /// and the names of the fields ever written (the keys of `clocks`).
    let pullSQL: String
    /// The upsert of a JSON array of rows (`$1`) for user `$2`.
    let upsertSQL: String

    /// Every record table, in entity order.
    public static let all: [EntityTable] = EntityKind.allCases.map(EntityTable.init)

    /// The table holding `entity`'s records.
    public static func name(of entity: EntityKind) -> String {
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
    public static func offsetColumn(_ field: String) -> String { field + "_offset_s" }

    init(_ entity: EntityKind) {
        self.entity = entity
        self.schema = EntitySchema.schema(for: entity)
        self.name = Self.name(of: entity)

        var fieldColumns: [String] = []
        for field in schema.fields {
            fieldColumns.append(field.name)
            if case .timestamp = field.type { fieldColumns.append(Self.offsetColumn(field.name)) }
        }
        let syncColumns = ["id", "version", "deleted_hlc", "clocks", "field_versions"]
        let columns = syncColumns + fieldColumns

        // clocks and field_versions travel as text: JSON is parsed once, in Swift.
        self.selectSQL =
            "SELECT id, version, deleted_hlc, clocks::text, field_versions::text, "
            + fieldColumns.joined(separator: ", ") + " FROM \(name)"
        self.pullSQL =
            "SELECT id, version, deleted_hlc, clocks::text, ARRAY(SELECT jsonb_object_keys(clocks)), "
            + fieldColumns.joined(separator: ", ") + " FROM \(name)"
        let updates = (columns.dropFirst() + ["updated_at"]).map { column in
            column == "updated_at" ? "updated_at = now()" : "\(column) = EXCLUDED.\(column)"
        }
        self.upsertSQL = """
            INSERT INTO \(name) (user_id, \(columns.joined(separator: ", ")))
            SELECT $2::uuid, \(columns.joined(separator: ", ")) FROM jsonb_populate_recordset(NULL::\(name), $1::jsonb)
            ON CONFLICT (user_id, id) DO UPDATE SET \(updates.joined(separator: ", "))
            """
    }
}
