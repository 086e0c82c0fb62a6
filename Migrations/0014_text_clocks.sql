-- Records keep their clocks and field versions as JSON text instead of `jsonb` (issue 10).
--
-- Only the server reads `clocks` and `field_versions`, always whole, and parses them itself (Swift reads them as text
-- since the first release); PostgreSQL never looks inside them on a push or a pull. As `jsonb`, every written record
-- paid PostgreSQL's JSON parse and binary build of both values (a record's clocks are ~1.1 kB: one clock text per
-- field), and every record a push read back paid their conversion to text. Measured with pgbench on the benchmark
-- machine, the push's 100-row upsert of `runs` rows ran 1.45× as many transactions per second with the two columns as
-- text (8 clients: 330 → 480 transactions/s).
--
-- The values are the same JSON objects: existing rows keep theirs in `jsonb`'s text form (`{"a": 1}`), new rows the
-- server's (`{"a":1}`); both read the same. What `jsonb` checked (that the value is JSON) is checked by every read
-- of the record, and by `rundiary check` (`missing_clock` also reports clocks that are not a JSON object of clocks).
--
-- Changing a column's type rewrites the table and its indexes under an exclusive lock: this migration takes time
-- in proportion to the records stored (docs/deploy.md). The rewrite drops the columns' compression setting
-- (migration 0013); the same statement sets it again.
DO $$
DECLARE
    record_table text;
    retype constant text :=
        'ALTER TABLE %I ALTER COLUMN clocks DROP DEFAULT, ALTER COLUMN field_versions DROP DEFAULT, '
        'ALTER COLUMN clocks TYPE text USING clocks::text, '
        'ALTER COLUMN field_versions TYPE text USING field_versions::text, '
        'ALTER COLUMN clocks SET DEFAULT ''{}'', ALTER COLUMN field_versions SET DEFAULT ''{}''';
BEGIN
    FOREACH record_table IN ARRAY ARRAY['runs', 'pain_entries', 'plans', 'plan_items', 'exercise_logs', 'gear'] LOOP
        BEGIN
            EXECUTE format(
                retype || ', ALTER COLUMN clocks SET COMPRESSION lz4, ALTER COLUMN field_versions SET COMPRESSION lz4',
                record_table);
        EXCEPTION WHEN feature_not_supported THEN
            RAISE NOTICE 'this PostgreSQL has no LZ4 support: % stays compressed with pglz (%)', record_table, SQLERRM;
            EXECUTE format(retype, record_table);
        END;
    END LOOP;
END
$$;
