-- Activity ids are given by the store in one go per import (the highest id ever given plus the
-- row's number): a sequence default draws them one row at a time, which made a million-row import
-- twice as slow. The counter keeps the highest id ever given, so an undone batch's ids are never
-- given to other activities (they may stand in an earlier download). Two writers at once collide
-- on the counter's one row, and the later one is rolled back whole.
ALTER TABLE activities ALTER COLUMN id DROP DEFAULT;
CREATE TABLE activity_id_counter (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    last_id  BIGINT NOT NULL
);
INSERT INTO activity_id_counter (last_id)
SELECT greatest(coalesce((SELECT max(id) FROM activities), 0),
                coalesce((SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'activity_seq'), 0));
DROP SEQUENCE IF EXISTS activity_seq;
