-- Share links: read-only access to a scope of one user's diary for someone without an account (a physical
-- therapist). The link's token is the only secret and is stored as its SHA-256 only. Keyed by user_id first.

CREATE TABLE shares (
    user_id      uuid NOT NULL REFERENCES users (id),
    id           uuid NOT NULL,
    -- SHA-256 of the rds_… token; the token itself is never stored.
    token_hash   bytea NOT NULL CHECK (octet_length(token_hash) = 32),
    label        text NOT NULL DEFAULT '' CHECK (char_length(label) <= 200),
    -- Inclusive range of local dates; NULL = open-ended.
    from_date    date,
    to_date      date,
    -- Entity kinds (wire names) the share shows.
    include      text[] NOT NULL CHECK (include <@ ARRAY['run', 'pain_entry', 'plan', 'plan_item', 'exercise_log',
                                                         'gear']::text[]),
    expires_at   timestamptz NOT NULL,
    max_views    integer CHECK (max_views >= 1),
    views        integer NOT NULL DEFAULT 0 CHECK (views >= 0),
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id),
    CHECK (to_date >= from_date)
);
CREATE UNIQUE INDEX shares_token_hash_key ON shares (token_hash);

-- Every access through a share link: when, which format, from where (health-data audit trail).
CREATE TABLE share_accesses (
    user_id         uuid NOT NULL,
    share_id        uuid NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    accessed_at     timestamptz NOT NULL DEFAULT now(),
    format          text NOT NULL CHECK (char_length(format) <= 20),
    client_address  text CHECK (char_length(client_address) <= 100),
    user_agent      text CHECK (char_length(user_agent) <= 500),
    PRIMARY KEY (user_id, id)
);
CREATE INDEX share_accesses_share ON share_accesses (user_id, share_id, accessed_at);
