-- Initial schema: reference data, activity log, import batches, targets, meetings.
-- Dates are local Swedish dates (Europe/Stockholm); instants are TIMESTAMPTZ.

CREATE TABLE agreements (
    id          VARCHAR PRIMARY KEY,
    title       VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    valid_from  DATE NOT NULL,
    valid_to    DATE NOT NULL,
    source      VARCHAR NOT NULL,
    CHECK (valid_to >= valid_from)
);

CREATE TABLE focus_areas (
    id       VARCHAR PRIMARY KEY,
    title    VARCHAR NOT NULL,
    ordinal  INTEGER NOT NULL
);

CREATE TABLE commitments (
    id           VARCHAR PRIMARY KEY,
    agreement_id VARCHAR NOT NULL,
    ordinal      INTEGER NOT NULL,
    short_title  VARCHAR NOT NULL,
    focus_area   VARCHAR NOT NULL,
    responsible  VARCHAR NOT NULL CHECK (responsible IN ('polisen', 'kommunen', 'bada')),
    text         VARCHAR NOT NULL
);

CREATE TABLE areas (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL UNIQUE,
    is_central  BOOLEAN NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE SEQUENCE import_batch_seq START 1;
CREATE TABLE import_batches (
    id             INTEGER PRIMARY KEY DEFAULT nextval('import_batch_seq'),
    file_name      VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,
    activity_type  VARCHAR,
    is_demo        BOOLEAN NOT NULL DEFAULT FALSE,
    imported_at    TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    imported_by    VARCHAR NOT NULL,
    rows_added     INTEGER NOT NULL DEFAULT 0 CHECK (rows_added >= 0),
    rows_skipped   INTEGER NOT NULL DEFAULT 0 CHECK (rows_skipped >= 0),
    rows_rejected  INTEGER NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    undone_at      TIMESTAMPTZ,
    undone_by      VARCHAR
);

-- One row is one activity, or a summary of activity_count activities between
-- date_from and date_to (police systems often export monthly totals); the
-- measures of a summary row are sums over its activities.
CREATE SEQUENCE activity_seq START 1;
CREATE TABLE activities (
    id               BIGINT PRIMARY KEY DEFAULT nextval('activity_seq'),
    batch_id         INTEGER NOT NULL,
    activity_type    VARCHAR NOT NULL CHECK (activity_type IN (
                         'foot_patrol', 'traffic_control', 'atractor_check', 'info_meeting',
                         'drug_operation', 'staff_training', 'awareness')),
    date_from        DATE NOT NULL,
    date_to          DATE NOT NULL,
    activity_count   INTEGER NOT NULL DEFAULT 1 CHECK (activity_count >= 1),
    start_time       TIME,
    duration_min     INTEGER CHECK (duration_min >= 0),
    area_code        VARCHAR NOT NULL,
    place            VARCHAR,
    organisation     VARCHAR NOT NULL CHECK (organisation IN ('polisen', 'kommunen', 'samverkan')),
    staff_count      INTEGER CHECK (staff_count >= 1),
    external_id      VARCHAR,
    comment          VARCHAR,
    content_key      VARCHAR NOT NULL,
    -- foot patrol
    citizen_contacts INTEGER CHECK (citizen_contacts >= 0),
    -- traffic control
    control_kind     VARCHAR CHECK (control_kind IN ('hastighet', 'nykterhet', 'kombinerad')),
    risk_place       BOOLEAN,
    breath_tests     INTEGER CHECK (breath_tests >= 0),
    drunk_driving_suspected   INTEGER CHECK (drunk_driving_suspected >= 0),
    drugged_driving_suspected INTEGER CHECK (drugged_driving_suspected >= 0),
    speeding_offences INTEGER CHECK (speeding_offences >= 0),
    -- traffic control and A-tractor check
    vehicles_checked INTEGER CHECK (vehicles_checked >= 0),
    -- A-tractor check
    illegal_vehicles INTEGER CHECK (illegal_vehicles >= 0),
    driving_bans     INTEGER CHECK (driving_bans >= 0),
    -- A-tractor check and drug-trade operation
    reports_filed    INTEGER CHECK (reports_filed >= 0),
    -- drug-trade operation
    persons_checked  INTEGER CHECK (persons_checked >= 0),
    seizures         INTEGER CHECK (seizures >= 0),
    -- information meeting, staff training, awareness activity
    topics           VARCHAR[],
    audiences        VARCHAR[],
    participants     INTEGER CHECK (participants >= 0),

    CHECK (date_to >= date_from),
    CHECK (start_time IS NULL OR date_to = date_from),
    CHECK (citizen_contacts IS NULL OR activity_type = 'foot_patrol'),
    CHECK (activity_type <> 'traffic_control' OR (control_kind IS NOT NULL AND risk_place IS NOT NULL)),
    CHECK ((control_kind IS NULL AND risk_place IS NULL AND breath_tests IS NULL
            AND drunk_driving_suspected IS NULL AND drugged_driving_suspected IS NULL
            AND speeding_offences IS NULL) OR activity_type = 'traffic_control'),
    CHECK (vehicles_checked IS NULL OR activity_type IN ('traffic_control', 'atractor_check')),
    CHECK ((illegal_vehicles IS NULL AND driving_bans IS NULL) OR activity_type = 'atractor_check'),
    CHECK (illegal_vehicles IS NULL OR vehicles_checked IS NULL OR illegal_vehicles <= vehicles_checked),
    CHECK (reports_filed IS NULL OR activity_type IN ('atractor_check', 'drug_operation')),
    CHECK ((persons_checked IS NULL AND seizures IS NULL) OR activity_type = 'drug_operation'),
    CHECK ((topics IS NULL AND participants IS NULL)
           OR activity_type IN ('info_meeting', 'staff_training', 'awareness')),
    CHECK (audiences IS NULL OR activity_type IN ('info_meeting', 'awareness')),
    CHECK (activity_type <> 'info_meeting' OR (topics IS NOT NULL AND audiences IS NOT NULL))
);

-- A target is valid from a date; changing it closes the old row and opens a new
-- one, so figures for a past period keep the target that was valid then.
CREATE SEQUENCE target_seq START 1;
CREATE TABLE targets (
    id             INTEGER PRIMARY KEY DEFAULT nextval('target_seq'),
    indicator_id   VARCHAR NOT NULL,
    grain          VARCHAR NOT NULL CHECK (grain IN ('month', 'quarter', 'tertial', 'year', 'agreement')),
    value          DOUBLE CHECK (value >= 0),
    direction      VARCHAR NOT NULL CHECK (direction IN ('at_least', 'at_most')),
    season_weights DOUBLE[] CHECK (season_weights IS NULL OR len(season_weights) = 12),
    valid_from     DATE NOT NULL,
    valid_to       DATE,
    baseline_year  INTEGER,
    increase_pct   DOUBLE,
    origin         VARCHAR NOT NULL,
    is_example     BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CHECK ((value IS NOT NULL) <> (baseline_year IS NOT NULL))
);

CREATE SEQUENCE target_change_seq START 1;
CREATE TABLE target_changes (
    id          INTEGER PRIMARY KEY DEFAULT nextval('target_change_seq'),
    indicator_id VARCHAR NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    changed_by  VARCHAR NOT NULL,
    old_target  VARCHAR,
    new_target  VARCHAR NOT NULL
);

CREATE SEQUENCE meeting_seq START 1;
CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY DEFAULT nextval('meeting_seq'),
    meeting_date  DATE NOT NULL UNIQUE,
    title         VARCHAR NOT NULL,
    note          VARCHAR,
    is_demo       BOOLEAN NOT NULL DEFAULT FALSE
);

-- Bumped by every write, so that cached figures are recomputed at the next rerun.
CREATE TABLE data_version (
    only_row  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    version   BIGINT NOT NULL
);
INSERT INTO data_version VALUES (TRUE, 1);
