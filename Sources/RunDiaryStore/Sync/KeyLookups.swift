import Postgres

extension PostgresQuery {
    /// The settings under which the statements every request runs to find its account's rows are planned (a sync
    /// push's and pull's, a token check's, a sign-in's): no table is read whole (`enable_seqscan` off, for the
    /// statement's transaction only). Every row these statements touch is found through an index; a sequential scan
    /// is never the better plan for them once a table holds more than a page or two.
    ///
    /// Without it, a plan made while `users`, `tokens` and `devices` were small (a new deployment's first minutes, a
    /// benchmark's fresh database) read them whole for as long as the connection kept the plan: in the sync tick at
    /// 400/s every push and pull scanned `users` and `tokens`, and half of them `devices` — 344 pages of rows updated
    /// twice a tick, for 128 devices (docs/benchmarks.md).
    ///
    /// Compiling (JIT) is off for these statements too: they run in well under a millisecond, and a table read with no
    /// index to use would be priced as a disabled path (10¹⁰), past `jit_above_cost` — a compiled pull took 100–400 ms
    /// of CPU (ScalingPlanTests). The one table they read that has a single row, `sync_epoch`, is read through its
    /// primary key (``SyncEpoch/value``).
    ///
    /// And each runs its generic plan (`plan_cache_mode`): every one is a fixed shape whose best plan does not depend
    /// on the values (primary-key probes and loads, the writes, a page read by the version index). Left to choose, the
    /// planner priced a generic `= ANY($n)` as ten ids, so the custom plan of a push naming one id looked cheaper and
    /// the probe was planned anew on every push (0.32 ms of PostgreSQL's CPU per sync tick, more than running it); and
    /// a connection plans a statement afresh for its first five runs, which for a pull's six-table statement is
    /// 1–3 ms each on each of the pool's connections (docs/benchmarks.md).
    ///
    /// A planner setting must be in force when the statement is planned, so it is set by a statement of its own
    /// before it, in the same transaction: the push sends it with BEGIN
    /// (``SyncStore/push(userID:deviceID:mutations:now:maxClockSkewSeconds:check:)``), a statement on its own in the same
    /// round trip (``PostgresClient/queryByKey(_:)``).
    static let keyLookupsOnly: PostgresQuery = """
        set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true), \
        set_config('plan_cache_mode', 'force_generic_plan', true)
        """
}

extension PostgresClient {
    /// Runs one statement planned under ``PostgresQuery/keyLookupsOnly``, set by a statement sent in the same round
    /// trip (the two form one implicit transaction), and returns its rows: for a statement every request runs that
    /// finds one account's rows by key.
    func queryByKey(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try await $0.pipeline(["SELECT \(PostgresQuery.keyLookupsOnly)", query]) }[1]
    }
}
