-- The activity log without the primary-key index on id. Keeping the index up to date cost a
-- million-row import 0.3-0.4 s (of about 3.5 s), and it guarded nothing the store does not guard
-- already: ids are only ever given by Store.insert_batch, as the counter of migration 006 plus the
-- row's number in its batch, and two writers at once collide on the counter's one row (the later
-- is rolled back whole). DuckDB cannot drop a primary key, so the table is rebuilt as it was,
-- with every check, and its rows are copied over in the same order with the same ids.
CREATE TABLE activities_rebuilt (
    id               BIGINT NOT NULL,
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

INSERT INTO activities_rebuilt SELECT * FROM activities ORDER BY id;
DROP TABLE activities;
ALTER TABLE activities_rebuilt RENAME TO activities;
