-- Each record table's `(user_id, version)` index becomes partial (`WHERE version IS NOT NULL`, which every row meets:
-- `version` is NOT NULL), so that only statements that bound `version` can use it (issue 10).
--
-- A push finds the records it names by primary key, `(user_id, id)`, with its statements' generic plans (the push
-- runs them with `plan_cache_mode = force_generic_plan`, RunDiaryStore's PushBatch). A generic plan is made once per
-- connection and kept until the table is next analysed; made while a table was still small, the planner found it as
-- cheap to read the account's rows through `(user_id, version)` and filter them by id — and so, as the table grew,
-- every push read every record of the account in that table and compared it with every id of the batch (the push
-- benchmark's first minute on a new database: 13 % of the machine's CPU in `ExecEvalScalarArrayOp` and `uuid_eq`,
-- PostgreSQL's CPU per pushed record 3.4 times that of a later step). The pull (`version > $n`) and the pruning of
-- tombstones (`version <= $n`) bound `version` with strict operators, which imply `version IS NOT NULL`: they use the
-- index as before. ScalingPlanTests checks that no statement of the sync path filters a record table by id.
--
-- Rebuilding the indexes holds each table's writes for as long as its index takes to build.
DROP INDEX runs_user_version;
CREATE INDEX runs_user_version ON runs (user_id, version) WHERE version IS NOT NULL;
DROP INDEX pain_entries_user_version;
CREATE INDEX pain_entries_user_version ON pain_entries (user_id, version) WHERE version IS NOT NULL;
DROP INDEX plans_user_version;
CREATE INDEX plans_user_version ON plans (user_id, version) WHERE version IS NOT NULL;
DROP INDEX plan_items_user_version;
CREATE INDEX plan_items_user_version ON plan_items (user_id, version) WHERE version IS NOT NULL;
DROP INDEX exercise_logs_user_version;
CREATE INDEX exercise_logs_user_version ON exercise_logs (user_id, version) WHERE version IS NOT NULL;
DROP INDEX gear_user_version;
CREATE INDEX gear_user_version ON gear (user_id, version) WHERE version IS NOT NULL;
