-- Production (issue 13): the database's sync epoch, and the per-user request allowance every instance shares.

-- The sync epoch: one value per database, made when the schema is created and changed only by
-- `rundiary restore-finish`, the command an operator runs after restoring a backup. Cursors carry it, so a device
-- whose cursor was issued before the restore (by a database that has since been rewound) is told to reset instead
-- of skipping the changes that now reuse its versions (docs/operations.md, docs/sync-protocol.md §9.3).
-- A reference table on Citus (docs/scaling.md).
CREATE TABLE sync_epoch (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    epoch       uuid NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO sync_epoch (epoch) VALUES (gen_random_uuid());

-- The per-user request rate limit, shared by every server instance: a generic cell rate algorithm (GCRA) keeps one
-- timestamp per user, the "theoretical arrival time" of the next request; a request is allowed while that time is
-- less than the burst allowance ahead of now, and pushes it on by one emission interval (RunDiaryStore's
-- AccountStore.owner(ofToken:metering:), which updates it in the same statement that looks the token up).
-- UNLOGGED: written on every authenticated request, it must not cost a WAL flush per request; after a crash the
-- table is empty and every user starts with a full burst, which is harmless. Pushed on at every request, so
-- fillfactor leaves room for HOT updates.
CREATE UNLOGGED TABLE request_allowances (
    user_id     uuid PRIMARY KEY,
    next_at     timestamptz NOT NULL
) WITH (fillfactor = 50);
