-- Pushes stop checking every record they write against `users` (issue 10).
--
-- Each record table's `user_id → users (id)` foreign key ran one lookup of the account's row per written record, by
-- a trigger, inside the push that had already locked that very row (`FOR UPDATE`, the first statement of every push):
-- a third of the writing statement's time for a one-record push, and a hundred lookups of the same row for a batch
-- of a hundred. What the key guarded is held by the code that writes records:
--
-- - records are only written by a push (also the server's import, which is one), after it has locked the account's
--   row: the row exists and cannot be deleted until the push commits;
-- - an account is only removed by the erasure (`rundiary user delete --erase`), which takes the same lock and deletes every
--   row of every table with a `user_id` column, records included, before the account's row.
--
-- A record left without its account anyway (rows written or deleted by hand in psql) is found by `rundiary check`
-- (`orphaned_record`). The other foreign keys to `users` stay: their tables are written once per sign-in, device,
-- conflict or share, not once per record.
DO $$
DECLARE
    foreign_key record;
BEGIN
    FOR foreign_key IN
        SELECT c.conrelid::regclass AS record_table, c.conname
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass
          AND c.conrelid IN ('runs'::regclass, 'pain_entries'::regclass, 'plans'::regclass, 'plan_items'::regclass,
                             'exercise_logs'::regclass, 'gear'::regclass)
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', foreign_key.record_table, foreign_key.conname);
    END LOOP;
END
$$;
