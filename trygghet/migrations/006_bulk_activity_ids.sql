-- Activity ids are given by the store in one go per import (the highest id so far plus the row's
-- number): a sequence default draws them one row at a time, which made a million-row import
-- twice as slow. The primary key still guards them; two writers at once collide on it and the
-- later one is rolled back whole.
ALTER TABLE activities ALTER COLUMN id DROP DEFAULT;
DROP SEQUENCE IF EXISTS activity_seq;
