-- The diary's records: one typed table per entity, with CHECK constraints that mirror the shared models'
-- validation (RunDiaryModels), and the sync columns every table shares:
--   version         the user's change counter when this row last changed (pull order)
--   deleted_hlc     the tombstone's clock; set = deleted (a tombstone keeps no field values)
--   clocks          field name -> HLC of the field's last write
--   field_versions  field name -> version at which the field was last written (conflict detection)
-- A timestamp field is a timestamptz column plus <field>_offset_s, the UTC offset (seconds) the client wrote it
-- with, so that local time (a 07:30 morning run) survives the round trip.
-- References between records (run_id, plan_id, …) are not foreign keys: a reference to a deleted record stays
-- valid and nothing cascades. Lengths are counted in Unicode scalars, as char_length does.

CREATE TABLE runs (
    user_id             uuid NOT NULL REFERENCES users (id),
    id                  uuid NOT NULL,
    version             bigint NOT NULL,
    deleted_hlc         text,
    clocks              jsonb NOT NULL DEFAULT '{}',
    field_versions      jsonb NOT NULL DEFAULT '{}',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    started_at_offset_s integer CHECK (started_at_offset_s BETWEEN -64800 AND 64800),
    time_zone           text CHECK (char_length(time_zone) <= 64),
    surface             text CHECK (surface IN ('road', 'trail', 'track', 'treadmill', 'grass', 'mixed')),
    is_indoor           boolean,
    distance_m          double precision CHECK (distance_m BETWEEN 0 AND 1000000),
    elapsed_s           integer CHECK (elapsed_s BETWEEN 1 AND 604800),
    moving_s            integer CHECK (moving_s BETWEEN 0 AND 604800),
    elevation_gain_m    double precision CHECK (elevation_gain_m BETWEEN 0 AND 20000),
    incline_pct         double precision CHECK (incline_pct BETWEEN -10 AND 40),
    avg_cadence_spm     integer CHECK (avg_cadence_spm BETWEEN 60 AND 250),
    avg_step_length_mm  integer CHECK (avg_step_length_mm BETWEEN 1 AND 3000),
    avg_hr_bpm          integer CHECK (avg_hr_bpm BETWEEN 30 AND 255),
    max_hr_bpm          integer CHECK (max_hr_bpm BETWEEN 30 AND 255),
    rpe                 double precision CHECK (rpe BETWEEN 0 AND 10),
    feel                integer CHECK (feel BETWEEN 1 AND 5),
    gear_id             uuid,
    plan_item_id        uuid,
    title               text CHECK (char_length(title) <= 200),
    notes               text CHECK (char_length(notes) <= 4000),
    form_notes          text CHECK (char_length(form_notes) <= 4000),
    PRIMARY KEY (user_id, id),
    CHECK (deleted_hlc IS NOT NULL OR (started_at IS NOT NULL AND elapsed_s IS NOT NULL)),
    CHECK (moving_s <= elapsed_s),
    CHECK (avg_hr_bpm <= max_hr_bpm),
    CHECK (surface IS DISTINCT FROM 'treadmill' OR is_indoor IS NOT FALSE)
);
CREATE INDEX runs_user_version ON runs (user_id, version);

CREATE TABLE pain_entries (
    user_id          uuid NOT NULL REFERENCES users (id),
    id               uuid NOT NULL,
    version          bigint NOT NULL,
    deleted_hlc      text,
    clocks           jsonb NOT NULL DEFAULT '{}',
    field_versions   jsonb NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    recorded_at      timestamptz,
    recorded_at_offset_s integer CHECK (recorded_at_offset_s BETWEEN -64800 AND 64800),
    body_site        text CHECK (body_site IN ('hip', 'groin', 'thigh', 'knee', 'shin', 'calf', 'achilles', 'ankle',
                                               'foot', 'low_back', 'other')),
    side             text CHECK (side IN ('left', 'right', 'both', 'none')),
    severity         integer CHECK (severity BETWEEN 0 AND 10),
    timing           text CHECK (timing IN ('before_run', 'during_run', 'after_run', 'later_same_day', 'next_morning',
                                            'at_rest')),
    qualities        text[] CHECK (qualities <@ ARRAY['aching', 'sharp', 'stabbing', 'burning', 'throbbing', 'cramping',
                                                      'tingling', 'stiffness']::text[]),
    activity_impact  text CHECK (activity_impact IN ('none', 'reduced_volume', 'reduced_performance', 'stopped')),
    run_id           uuid,
    notes            text CHECK (char_length(notes) <= 4000),
    PRIMARY KEY (user_id, id),
    CHECK (deleted_hlc IS NOT NULL OR (recorded_at IS NOT NULL AND body_site IS NOT NULL AND side IS NOT NULL
                                       AND severity IS NOT NULL AND timing IS NOT NULL))
);
CREATE INDEX pain_entries_user_version ON pain_entries (user_id, version);

CREATE TABLE plans (
    user_id          uuid NOT NULL REFERENCES users (id),
    id               uuid NOT NULL,
    version          bigint NOT NULL,
    deleted_hlc      text,
    clocks           jsonb NOT NULL DEFAULT '{}',
    field_versions   jsonb NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    kind             text CHECK (kind IN ('training', 'rehab')),
    title            text CHECK (char_length(title) <= 200),
    goal             text CHECK (char_length(goal) <= 1000),
    author_role      text CHECK (author_role IN ('self', 'physical_therapist', 'coach')),
    author_name      text CHECK (char_length(author_name) <= 200),
    status           text CHECK (status IN ('draft', 'active', 'completed', 'cancelled')),
    start_date       date,
    end_date         date,
    pain_ceiling     integer CHECK (pain_ceiling BETWEEN 0 AND 10),
    notes            text CHECK (char_length(notes) <= 4000),
    PRIMARY KEY (user_id, id),
    CHECK (deleted_hlc IS NOT NULL OR (kind IS NOT NULL AND title IS NOT NULL)),
    CHECK (end_date >= start_date)
);
CREATE INDEX plans_user_version ON plans (user_id, version);

CREATE TABLE plan_items (
    user_id          uuid NOT NULL REFERENCES users (id),
    id               uuid NOT NULL,
    version          bigint NOT NULL,
    deleted_hlc      text,
    clocks           jsonb NOT NULL DEFAULT '{}',
    field_versions   jsonb NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    plan_id          uuid,
    kind             text CHECK (kind IN ('run_session', 'strength', 'mobility', 'stretch')),
    exercise         text CHECK (char_length(exercise) <= 200),
    instructions     text CHECK (char_length(instructions) <= 4000),
    sets             integer CHECK (sets BETWEEN 1 AND 20),
    reps             integer CHECK (reps BETWEEN 1 AND 100),
    hold_s           integer CHECK (hold_s BETWEEN 0 AND 600),
    load             double precision CHECK (load BETWEEN 0 AND 1000),
    load_unit        text CHECK (load_unit IN ('kg', 'lb', 'band', 'bodyweight')),
    target_rpe       double precision CHECK (target_rpe BETWEEN 0 AND 10),
    days_of_week     text[] CHECK (days_of_week <@ ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']::text[]),
    times_per_week   integer CHECK (times_per_week BETWEEN 1 AND 14),
    position         integer CHECK (position BETWEEN 0 AND 10000),
    PRIMARY KEY (user_id, id),
    CHECK (deleted_hlc IS NOT NULL OR (plan_id IS NOT NULL AND kind IS NOT NULL AND exercise IS NOT NULL))
);
CREATE INDEX plan_items_user_version ON plan_items (user_id, version);

CREATE TABLE exercise_logs (
    user_id          uuid NOT NULL REFERENCES users (id),
    id               uuid NOT NULL,
    version          bigint NOT NULL,
    deleted_hlc      text,
    clocks           jsonb NOT NULL DEFAULT '{}',
    field_versions   jsonb NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    plan_item_id     uuid,
    performed_at     timestamptz,
    performed_at_offset_s integer CHECK (performed_at_offset_s BETWEEN -64800 AND 64800),
    status           text CHECK (status IN ('done', 'partial', 'skipped')),
    sets_done        integer CHECK (sets_done BETWEEN 0 AND 100),
    reps_done        integer CHECK (reps_done BETWEEN 0 AND 10000),
    load             double precision CHECK (load BETWEEN 0 AND 1000),
    pain_during      integer CHECK (pain_during BETWEEN 0 AND 10),
    notes            text CHECK (char_length(notes) <= 4000),
    PRIMARY KEY (user_id, id),
    CHECK (deleted_hlc IS NOT NULL OR (plan_item_id IS NOT NULL AND performed_at IS NOT NULL AND status IS NOT NULL))
);
CREATE INDEX exercise_logs_user_version ON exercise_logs (user_id, version);

CREATE TABLE gear (
    user_id             uuid NOT NULL REFERENCES users (id),
    id                  uuid NOT NULL,
    version             bigint NOT NULL,
    deleted_hlc         text,
    clocks              jsonb NOT NULL DEFAULT '{}',
    field_versions      jsonb NOT NULL DEFAULT '{}',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    name                text CHECK (char_length(name) <= 200),
    brand               text CHECK (char_length(brand) <= 100),
    model               text CHECK (char_length(model) <= 100),
    started_on          date,
    retired_on          date,
    initial_distance_m  double precision CHECK (initial_distance_m BETWEEN 0 AND 10000000),
    limit_distance_m    double precision CHECK (limit_distance_m BETWEEN 1 AND 10000000),
    PRIMARY KEY (user_id, id),
    CHECK (deleted_hlc IS NOT NULL OR name IS NOT NULL),
    CHECK (retired_on >= started_on)
);
CREATE INDEX gear_user_version ON gear (user_id, version);
