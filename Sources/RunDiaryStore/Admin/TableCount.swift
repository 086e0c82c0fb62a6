/// Rows of one table that a prune or an erasure removed (or, in a dry run, would remove).
package struct TableCount: Sendable, Hashable, Codable {
    package let table: String
    package let rows: Int
}
