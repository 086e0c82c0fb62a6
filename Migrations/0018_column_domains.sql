-- Each column's own rule (a range, a length, a set of codes) moves from a CHECK constraint of its table to a domain
-- of the column (issue 10): same rule, same name (`<table>_<column>_check`), same SQLSTATE 23514 when refused.
--
-- Why: PostgreSQL prepares a table's CHECK constraints anew for every statement that writes the table — it reads
-- each one's stored expression back (`stringToNode`) and plans it — while a domain's constraints are prepared once
-- per connection and kept (the type cache). A push writes a record table, `users` and `devices` in one statement:
-- for a sync tick of one new pain entry that statement took 0.37–0.40 ms with the 16 CHECKs it met and 0.23–0.27 ms
-- with domains (`pg_stat_statements`, docs/benchmarks.md). An UPDATE checks the domains of the columns it sets, not
-- every rule of the row.
--
-- The rules that relate two columns (a live record's required fields, `moving_s <= elapsed_s`, …) stay CHECK
-- constraints of their tables. SchemaConstraintTests holds both kinds to the shared schema.
--
-- Nothing is rewritten: each domain is created without its rule, over the column's own type, so that changing the
-- column to it changes no stored value (and keeps the column's indexes); the rule is then added to the domain, which
-- checks the stored values (a read of the table) as the CHECK did.
DO $$
DECLARE
    rule record;
    domain_name text;
    column_type text;
    kept_storage "char";
    kept_compression "char";
BEGIN
    FOR rule IN SELECT * FROM (VALUES
        ('users', 'email', $rule$char_length(VALUE) BETWEEN 3 AND 254$rule$),
        ('users', 'display_name', $rule$char_length(VALUE) <= 200$rule$),
        ('users', 'version', $rule$VALUE >= 0$rule$),
        ('users', 'pruned_through', $rule$VALUE >= 0$rule$),
        ('devices', 'name', $rule$char_length(VALUE) <= 200$rule$),
        ('devices', 'platform', $rule$char_length(VALUE) <= 50$rule$),
        ('devices', 'acknowledged', $rule$octet_length(VALUE) <= 600 * 16 AND octet_length(VALUE) % 16 = 0$rule$),
        ('device_acknowledgements', 'entries', $rule$octet_length(VALUE) <= 600 * 16 AND octet_length(VALUE) % 16 = 0$rule$),
        ('runs', 'started_at_offset_s', $rule$VALUE BETWEEN -64800 AND 64800$rule$),
        ('runs', 'time_zone', $rule$char_length(VALUE) <= 64$rule$),
        ('runs', 'surface', $rule$VALUE IN ('road', 'trail', 'track', 'treadmill', 'grass', 'mixed')$rule$),
        ('runs', 'distance_m', $rule$VALUE BETWEEN 0 AND 1000000$rule$),
        ('runs', 'elapsed_s', $rule$VALUE BETWEEN 1 AND 604800$rule$),
        ('runs', 'moving_s', $rule$VALUE BETWEEN 0 AND 604800$rule$),
        ('runs', 'elevation_gain_m', $rule$VALUE BETWEEN 0 AND 20000$rule$),
        ('runs', 'incline_pct', $rule$VALUE BETWEEN -10 AND 40$rule$),
        ('runs', 'avg_cadence_spm', $rule$VALUE BETWEEN 60 AND 250$rule$),
        ('runs', 'avg_step_length_mm', $rule$VALUE BETWEEN 1 AND 3000$rule$),
        ('runs', 'avg_hr_bpm', $rule$VALUE BETWEEN 30 AND 255$rule$),
        ('runs', 'max_hr_bpm', $rule$VALUE BETWEEN 30 AND 255$rule$),
        ('runs', 'rpe', $rule$VALUE BETWEEN 0 AND 10$rule$),
        ('runs', 'feel', $rule$VALUE BETWEEN 1 AND 5$rule$),
        ('runs', 'title', $rule$char_length(VALUE) <= 200$rule$),
        ('runs', 'notes', $rule$char_length(VALUE) <= 4000$rule$),
        ('runs', 'form_notes', $rule$char_length(VALUE) <= 4000$rule$),
        ('pain_entries', 'recorded_at_offset_s', $rule$VALUE BETWEEN -64800 AND 64800$rule$),
        ('pain_entries', 'body_site', $rule$VALUE IN ('hip', 'groin', 'thigh', 'knee', 'shin', 'calf', 'achilles', 'ankle', 'foot', 'low_back', 'other')$rule$),
        ('pain_entries', 'side', $rule$VALUE IN ('left', 'right', 'both', 'none')$rule$),
        ('pain_entries', 'severity', $rule$VALUE BETWEEN 0 AND 10$rule$),
        ('pain_entries', 'timing', $rule$VALUE IN ('before_run', 'during_run', 'after_run', 'later_same_day', 'next_morning', 'at_rest')$rule$),
        ('pain_entries', 'qualities', $rule$VALUE <@ ARRAY['aching', 'sharp', 'stabbing', 'burning', 'throbbing', 'cramping', 'tingling', 'stiffness']$rule$),
        ('pain_entries', 'activity_impact', $rule$VALUE IN ('none', 'reduced_volume', 'reduced_performance', 'stopped')$rule$),
        ('pain_entries', 'notes', $rule$char_length(VALUE) <= 4000$rule$),
        ('plans', 'kind', $rule$VALUE IN ('training', 'rehab')$rule$),
        ('plans', 'title', $rule$char_length(VALUE) <= 200$rule$),
        ('plans', 'goal', $rule$char_length(VALUE) <= 1000$rule$),
        ('plans', 'author_role', $rule$VALUE IN ('self', 'physical_therapist', 'coach')$rule$),
        ('plans', 'author_name', $rule$char_length(VALUE) <= 200$rule$),
        ('plans', 'status', $rule$VALUE IN ('draft', 'active', 'completed', 'cancelled')$rule$),
        ('plans', 'pain_ceiling', $rule$VALUE BETWEEN 0 AND 10$rule$),
        ('plans', 'notes', $rule$char_length(VALUE) <= 4000$rule$),
        ('plan_items', 'kind', $rule$VALUE IN ('run_session', 'strength', 'mobility', 'stretch')$rule$),
        ('plan_items', 'exercise', $rule$char_length(VALUE) <= 200$rule$),
        ('plan_items', 'instructions', $rule$char_length(VALUE) <= 4000$rule$),
        ('plan_items', 'sets', $rule$VALUE BETWEEN 1 AND 20$rule$),
        ('plan_items', 'reps', $rule$VALUE BETWEEN 1 AND 100$rule$),
        ('plan_items', 'hold_s', $rule$VALUE BETWEEN 0 AND 600$rule$),
        ('plan_items', 'load', $rule$VALUE BETWEEN 0 AND 1000$rule$),
        ('plan_items', 'load_unit', $rule$VALUE IN ('kg', 'lb', 'band', 'bodyweight')$rule$),
        ('plan_items', 'target_rpe', $rule$VALUE BETWEEN 0 AND 10$rule$),
        ('plan_items', 'days_of_week', $rule$VALUE <@ ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']$rule$),
        ('plan_items', 'times_per_week', $rule$VALUE BETWEEN 1 AND 14$rule$),
        ('plan_items', 'position', $rule$VALUE BETWEEN 0 AND 10000$rule$),
        ('exercise_logs', 'performed_at_offset_s', $rule$VALUE BETWEEN -64800 AND 64800$rule$),
        ('exercise_logs', 'status', $rule$VALUE IN ('done', 'partial', 'skipped')$rule$),
        ('exercise_logs', 'sets_done', $rule$VALUE BETWEEN 0 AND 100$rule$),
        ('exercise_logs', 'reps_done', $rule$VALUE BETWEEN 0 AND 10000$rule$),
        ('exercise_logs', 'load', $rule$VALUE BETWEEN 0 AND 1000$rule$),
        ('exercise_logs', 'pain_during', $rule$VALUE BETWEEN 0 AND 10$rule$),
        ('exercise_logs', 'notes', $rule$char_length(VALUE) <= 4000$rule$),
        ('gear', 'name', $rule$char_length(VALUE) <= 200$rule$),
        ('gear', 'brand', $rule$char_length(VALUE) <= 100$rule$),
        ('gear', 'model', $rule$char_length(VALUE) <= 100$rule$),
        ('gear', 'initial_distance_m', $rule$VALUE BETWEEN 0 AND 10000000$rule$),
        ('gear', 'limit_distance_m', $rule$VALUE BETWEEN 1 AND 10000000$rule$)
    ) AS r(table_name, column_name, check_clause) LOOP
        domain_name := rule.table_name || '_' || rule.column_name;
        SELECT format_type(atttypid, atttypmod), attstorage, attcompression
        INTO column_type, kept_storage, kept_compression
        FROM pg_attribute WHERE attrelid = rule.table_name::regclass AND attname = rule.column_name AND NOT attisdropped;
        EXECUTE format('CREATE DOMAIN %I AS %s', domain_name, column_type);
        EXECUTE format(
            'ALTER TABLE %I DROP CONSTRAINT %I, ALTER COLUMN %I TYPE %I', rule.table_name, domain_name || '_check',
            rule.column_name, domain_name);
        -- Changing a column's type sets its storage and compression to the new type's defaults: the column keeps its
        -- own (`devices.acknowledged` is compressed with LZ4, migration 0013; `device_acknowledgements.entries` is
        -- stored uncompressed, migration 0015).
        IF kept_storage <> (SELECT attstorage FROM pg_attribute
                            WHERE attrelid = rule.table_name::regclass AND attname = rule.column_name) THEN
            EXECUTE format(
                'ALTER TABLE %I ALTER COLUMN %I SET STORAGE %s', rule.table_name, rule.column_name,
                CASE kept_storage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END);
        END IF;
        IF kept_compression <> '' THEN
            EXECUTE format(
                'ALTER TABLE %I ALTER COLUMN %I SET COMPRESSION %s', rule.table_name, rule.column_name,
                CASE kept_compression WHEN 'l' THEN 'lz4' ELSE 'pglz' END);
        END IF;
        EXECUTE format('ALTER DOMAIN %I ADD CONSTRAINT %I CHECK (%s)', domain_name, domain_name || '_check', rule.check_clause);
    END LOOP;
END
$$;
