-- What sync keeps so that nothing a device wrote is lost without a trace.

-- A real conflict: a field changed on another device since the writer's base_version, with different values.
-- The winner is in the record; both values are kept here.
CREATE TABLE sync_conflicts (
    user_id          uuid NOT NULL REFERENCES users (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    entity           text NOT NULL,
    record_id        uuid NOT NULL,
    field            text NOT NULL,
    winning_value    jsonb,
    winning_hlc      text NOT NULL,
    losing_value     jsonb,
    losing_hlc       text NOT NULL,
    device_id        uuid NOT NULL,
    mutation_id      bigint NOT NULL,
    version          bigint NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id)
);
CREATE INDEX sync_conflicts_user_record ON sync_conflicts (user_id, entity, record_id);

-- A mutation the server refused. It is acknowledged (the device's queue moves on) and kept here, whole.
CREATE TABLE sync_rejections (
    user_id          uuid NOT NULL REFERENCES users (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    device_id        uuid NOT NULL,
    mutation_id      bigint NOT NULL,
    entity           text,
    record_id        uuid,
    code             text NOT NULL,
    field            text,
    message          text NOT NULL,
    mutation         jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id)
);
