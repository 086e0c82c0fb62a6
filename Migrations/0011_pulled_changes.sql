-- Pulls pass stored JSON through (issue 10).

-- Each record keeps the JSON a pull sends for it (a `Change`: entity, id, version, deleted, fields, clocks), written
-- by the same statement that writes its columns (RunDiaryStore's EntityTable.upsert, from RunDiaryModels'
-- RecordState.appendChangeJSON). A pull reads it and copies the bytes into its page instead of reading thirty typed
-- columns and encoding them again for every device that pulls.
--
-- NULL for rows written before this migration or around the sync API: a pull builds those from the columns, with
-- the same writer, and `rundiary migrate` fills them in (SyncStore.fillPulledChanges).
--
-- The stored JSON never outlives the columns it was written from: an UPDATE that does not write a new one (an
-- instance of the previous release still running during a rolling upgrade, a repair by hand in psql) clears it, and
-- pulls build the record from its columns until `rundiary migrate` (or the record's next push) writes it again. A
-- push always writes a new one: it holds the record's new version.
CREATE FUNCTION clear_pulled_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.pulled_change := NULL;
    RETURN NEW;
END
$$;

DO $$
DECLARE
    record_table text;
BEGIN
    FOREACH record_table IN ARRAY ARRAY['runs', 'pain_entries', 'plans', 'plan_items', 'exercise_logs', 'gear'] LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN pulled_change text', record_table);
        EXECUTE format(
            'CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW WHEN (NEW.pulled_change = OLD.pulled_change) '
            'EXECUTE FUNCTION clear_pulled_change()',
            record_table || '_pulled_change', record_table);
    END LOOP;
END
$$;
