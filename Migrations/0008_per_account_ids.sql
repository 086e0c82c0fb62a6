-- Record ids are per account: a record is (user_id, id), found by the primary key. Nothing looks an id up across
-- accounts any more, so migration 0005's indexes on `id` alone only cost every insert (issue 10).
DROP INDEX IF EXISTS runs_id;
DROP INDEX IF EXISTS pain_entries_id;
DROP INDEX IF EXISTS plans_id;
DROP INDEX IF EXISTS plan_items_id;
DROP INDEX IF EXISTS exercise_logs_id;
DROP INDEX IF EXISTS gear_id;
