-- The activity log spread over days and summed per day and per value of every column an
-- indicator may filter on. A summary row of N days adds 1/N of its measures to each of its
-- days. Indicators read this table instead of the log: it grows with days, not with rows,
-- so the overview stays fast at millions of activities. It is kept in step with the log in
-- the same transaction as every import, undo and demo removal (Store.insert_batch and friends)
-- and rebuilt after every migration.
CREATE TABLE activity_days (
    batch_id         INTEGER NOT NULL,
    day              DATE NOT NULL,
    activity_type    VARCHAR NOT NULL,
    area_code        VARCHAR NOT NULL,
    organisation     VARCHAR NOT NULL,
    control_kind     VARCHAR,
    risk_place       BOOLEAN,
    topics           VARCHAR[],
    audiences        VARCHAR[],
    activity_count   DOUBLE,
    duration_min     DOUBLE,
    staff_minutes    DOUBLE,
    citizen_contacts DOUBLE,
    breath_tests     DOUBLE,
    drunk_driving_suspected   DOUBLE,
    drugged_driving_suspected DOUBLE,
    speeding_offences DOUBLE,
    vehicles_checked DOUBLE,
    illegal_vehicles DOUBLE,
    driving_bans     DOUBLE,
    reports_filed    DOUBLE,
    persons_checked  DOUBLE,
    seizures         DOUBLE,
    participants     DOUBLE
);
