import RunDiaryModels

/// The record tables' statements exactly as the store assembles them (RunDiaryStore's EntityTable, whose SQL is
/// internal to that module): rebuilt here from the same shared schema, so pgbench runs the server's SQL.
struct StoreSQL: Sendable {
    let entity: EntityKind
    let table: String
    /// Every column the upsert writes, in the store's order: sync columns, then fields (a timestamp adds its offset).
    let columns: [String]
    /// The push's read: `SELECT id, version, deleted_hlc, clocks::text, field_versions::text, <fields> FROM <table>`.
    let selectSQL: String
    /// The pull's read: `SELECT id, version, deleted_hlc, clocks::text, ARRAY(SELECT jsonb_object_keys(clocks)),
    /// <fields> FROM <table>`.
    let pullSQL: String

    /// Every record table, in the store's (entity) order.
    static let all: [StoreSQL] = EntityKind.allCases.map(StoreSQL.init)

    init(_ entity: EntityKind) {
        self.entity = entity
        table = Self.table(of: entity)
        var fieldColumns: [String] = []
        for field in EntitySchema.schema(for: entity).fields {
            fieldColumns.append(field.name)
            if case .timestamp = field.type { fieldColumns.append(field.name + "_offset_s") }
        }
        columns = ["id", "version", "deleted_hlc", "clocks", "field_versions"] + fieldColumns
        selectSQL =
            "SELECT id, version, deleted_hlc, clocks::text, field_versions::text, "
            + fieldColumns.joined(separator: ", ") + " FROM \(table)"
        pullSQL =
            "SELECT id, version, deleted_hlc, clocks::text, ARRAY(SELECT jsonb_object_keys(clocks)), "
            + fieldColumns.joined(separator: ", ") + " FROM \(table)"
    }

    /// The store's upsert with the user id and the JSON rows given as SQL expressions, and optional replacements
    /// for selected columns (pgbench gives each transaction fresh ids and versions this way).
    func upsertSQL(user: String, rows: String, replacing replacements: [String: String] = [:]) -> String {
        let selected = columns.map { column in replacements[column] ?? column }
        let updates = (columns.dropFirst().map { "\($0) = EXCLUDED.\($0)" }) + ["updated_at = now()"]
        return """
            INSERT INTO \(table) (user_id, \(columns.joined(separator: ", "))) \
            SELECT \(user), \(selected.joined(separator: ", ")) FROM jsonb_populate_recordset(NULL::\(table), \(rows)) \
            ON CONFLICT (user_id, id) DO UPDATE SET \(updates.joined(separator: ", "))
            """
    }

    static func table(of entity: EntityKind) -> String {
        switch entity {
        case .run: "runs"
        case .painEntry: "pain_entries"
        case .plan: "plans"
        case .planItem: "plan_items"
        case .exerciseLog: "exercise_logs"
        case .gear: "gear"
        }
    }
}
