-- The wide values a push writes are compressed with LZ4 instead of PostgreSQL's own pglz (issue 10).
--
-- A record's row is about 2.4 kB before compression — its stored pull JSON (`pulled_change`, migration 0011), its
-- clocks and its field versions — above the 2 kB at which PostgreSQL compresses a row's largest values; a device's
-- acknowledgement window (`devices.acknowledged`, up to 9.6 kB) is rewritten by every push. pglz_compress was the
-- largest single item of PostgreSQL's CPU during a 16-device push benchmark (a fifth of it); LZ4 compresses to a
-- similar size at several times the speed, and decompresses faster for pulls. Rows written before keep their pglz
-- values, which read as before.
--
-- A server built without LZ4 support (`--with-lz4`; the PGDG and Debian packages have it) keeps pglz: the migration
-- then only says so.
DO $$
DECLARE
    record_table text;
BEGIN
    FOREACH record_table IN ARRAY ARRAY['runs', 'pain_entries', 'plans', 'plan_items', 'exercise_logs', 'gear'] LOOP
        EXECUTE format(
            'ALTER TABLE %I ALTER COLUMN pulled_change SET COMPRESSION lz4, ALTER COLUMN clocks SET COMPRESSION lz4, '
            'ALTER COLUMN field_versions SET COMPRESSION lz4',
            record_table);
    END LOOP;
    ALTER TABLE devices ALTER COLUMN acknowledged SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no LZ4 support: records stay compressed with pglz (%)', SQLERRM;
END
$$;
