-- The local calendar date of a recorded instant: the instant shifted by the UTC offset it was written with
-- (<field>_offset_s; UTC when unknown). Exports select records by it, so that a pain entry at 00:30 on 14 January
-- (UTC+01:00) belongs to the 14th wherever the instant falls in UTC. Written once here; IMMUTABLE (it reads
-- nothing but its arguments), so the planner may inline it and an index could be built on it.
CREATE FUNCTION local_date(instant timestamptz, offset_s integer) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ((instant AT TIME ZONE 'UTC') + make_interval(secs => coalesce(offset_s, 0)))::date;

-- Whether a date lies in an inclusive range whose ends are optional (NULL = open).
CREATE FUNCTION date_in_range(day date, from_date date, to_date date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (from_date IS NULL OR day >= from_date) AND (to_date IS NULL OR day <= to_date);

-- Whether a period with optional ends (a plan's dates, a shoe's time in use) overlaps an inclusive range whose ends
-- are optional too.
CREATE FUNCTION dates_overlap(start_date date, end_date date, from_date date, to_date date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (from_date IS NULL OR end_date IS NULL OR end_date >= from_date)
        AND (to_date IS NULL OR start_date IS NULL OR start_date <= to_date);
