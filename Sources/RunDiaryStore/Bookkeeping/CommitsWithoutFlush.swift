import Postgres

extension PostgresQuery {
    /// A `FROM` item that makes the statement's transaction commit without waiting for the WAL flush
    /// (`synchronous_commit` off for that transaction only), for statements that write only bookkeeping: should a
    /// crash lose the last fraction of a second of it, nothing a device gave us is lost (a pull's recorded cursor is
    /// an older one; a request's metering, kept in an UNLOGGED table, is gone with a crash anyway).
    ///
    /// A statement that writes nothing logged may still have to flush: reading a page with dead row versions prunes
    /// it, which is logged, and a transaction that logged anything waits for its commit's flush. Cross-joined to one
    /// row, it changes no result.
    static let commitsWithoutFlush: PostgresQuery =
        "(SELECT set_config('synchronous_commit', 'off', true)) AS commits_without_flush"
}
