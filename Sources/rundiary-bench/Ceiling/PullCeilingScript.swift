/// The rows of one pull page read straight from PostgreSQL: in a REPEATABLE READ transaction, one select per record
/// table (the store's select list) for a random one of `pages` pages of `pageSize` versions of `user`, the first
/// starting after `firstVersion`.
///
/// It leaves out what the store adds around the rows (the user's counter, the UNION ALL versions query, the
/// device's `last_pulled_version` update): the ceiling is the rows themselves.
enum PullCeilingScript {
    static func script(user: String, firstVersion: Int, pages: Int, pageSize: Int) -> String {
        var lines = [
            "\\set page random(0, \(pages - 1))",
            "\\set lo \(firstVersion) + :page * \(pageSize)",
            "\\set hi :lo + \(pageSize)",
            "BEGIN ISOLATION LEVEL REPEATABLE READ;",
        ]
        for table in StoreSQL.all {
            lines.append(table.pullSQL + " WHERE user_id = '\(user)' AND version > :lo AND version <= :hi;")
        }
        lines.append("COMMIT;")
        return lines.joined(separator: "\n") + "\n"
    }
}
