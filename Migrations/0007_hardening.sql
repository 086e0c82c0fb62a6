-- Hardening (issue 15): truthful duplicate verdicts, and login throttling shared by every server instance.

-- What the server keeps of each device's most recently acknowledged mutations: (mutation id, content digest) pairs,
-- so that a resent mutation is answered `duplicate` only when it is the very mutation acknowledged before
-- (RunDiaryStore's AcknowledgedMutations). Devices from before this migration start with an empty window.
ALTER TABLE devices ADD COLUMN acknowledged bytea NOT NULL DEFAULT ''::bytea
    CHECK (octet_length(acknowledged) <= 600 * 16 AND octet_length(acknowledged) % 16 = 0);

-- Failed logins, per throttling key (RunDiaryStore's LoginThrottle): the SHA-256 of a scope and its subject —
-- an (account, client address) pair, an (account, known device) pair, a client address, or an account as seen from
-- devices it does not know. No e-mail address or IP address is stored. Not keyed by user: it is shared by all
-- accounts and all server instances (a reference table on Citus).
CREATE TABLE login_failures (
    key            bytea PRIMARY KEY CHECK (octet_length(key) = 32),
    failures       integer NOT NULL CHECK (failures >= 1),
    last_failed_at timestamptz NOT NULL,
    blocked_until  timestamptz NOT NULL
);
CREATE INDEX login_failures_last_failed ON login_failures (last_failed_at);
