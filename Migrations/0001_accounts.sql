-- Accounts, devices and API tokens.
-- Every table is keyed by user_id first, so that the schema can later be distributed by user (Citus).

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    email           text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    password_hash   text,
    display_name    text NOT NULL DEFAULT '' CHECK (char_length(display_name) <= 200),
    disabled_at     timestamptz,
    -- The per-user change counter: every stored change takes the next value, under this row's lock, inside the
    -- push transaction, so that for one user version order is commit order.
    version         bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    -- Tombstones at or below this version may have been pruned; older cursors must reset.
    pruned_through  bigint NOT NULL DEFAULT 0 CHECK (pruned_through >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE devices (
    user_id             uuid NOT NULL REFERENCES users (id),
    id                  uuid NOT NULL,
    name                text NOT NULL DEFAULT '' CHECK (char_length(name) <= 200),
    platform            text NOT NULL DEFAULT '' CHECK (char_length(platform) <= 50),
    created_at          timestamptz NOT NULL DEFAULT now(),
    last_seen_at        timestamptz,
    -- The version the device last pulled up to; pruning never removes a tombstone above it.
    last_pulled_version bigint,
    last_pulled_at      timestamptz,
    -- The highest mutation id acknowledged; anything at or below it is a duplicate.
    last_mutation_id    bigint NOT NULL DEFAULT 0,
    revoked_at          timestamptz,
    PRIMARY KEY (user_id, id)
);

CREATE TABLE tokens (
    user_id       uuid NOT NULL REFERENCES users (id),
    id            uuid NOT NULL,
    device_id     uuid NOT NULL,
    -- SHA-256 of the token; the token itself is never stored.
    token_hash    bytea NOT NULL CHECK (octet_length(token_hash) = 32),
    label         text NOT NULL DEFAULT '' CHECK (char_length(label) <= 200),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, id)
);
CREATE UNIQUE INDEX tokens_token_hash_key ON tokens (token_hash);
