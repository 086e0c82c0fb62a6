-- ANALYZE stops gathering statistics on the records' JSON text columns (issue 10).
--
-- `clocks`, `field_versions` and `pulled_change` are read whole by the server and written whole by a push;
-- no statement filters, joins or sorts on them (migration 0014), so the planner never uses their statistics. Yet
-- every ANALYZE of a record table sorted its sample of each (values of 0.2–0.5 kB, distinct in every row) and kept a
-- hundred of them in `pg_statistic`. On the benchmark machine, autovacuum's ANALYZE of the tables a push benchmark
-- grows was a sixth of PostgreSQL's CPU, and one ANALYZE of 30,720 runs took 0.62–0.79 s with these three columns,
-- 0.47–0.53 s without (docs/benchmarks.md).
--
-- `SET STATISTICS 0` takes a lock that lets reads and writes go on, and rewrites nothing: instant.
DO $$
DECLARE
    record_table text;
BEGIN
    FOREACH record_table IN ARRAY ARRAY['runs', 'pain_entries', 'plans', 'plan_items', 'exercise_logs', 'gear'] LOOP
        EXECUTE format(
            'ALTER TABLE %I ALTER COLUMN clocks SET STATISTICS 0, ALTER COLUMN field_versions SET STATISTICS 0, '
            'ALTER COLUMN pulled_change SET STATISTICS 0', record_table);
    END LOOP;
END
$$;
