-- Who did it, for the writes that did not record it yet: meetings added and changed in the calendar,
-- areas edited on the admin page, and local accounts added, removed or given another role.
-- Written so that it can run again on a database that has it already (IF NOT EXISTS throughout).
-- Meetings and areas from before this migration keep NULL here: who made them is not known.

ALTER TABLE meetings ADD COLUMN IF NOT EXISTS created_at TIMESTAMPTZ;
ALTER TABLE meetings ADD COLUMN IF NOT EXISTS created_by VARCHAR;
ALTER TABLE meetings ADD COLUMN IF NOT EXISTS changed_at TIMESTAMPTZ;
ALTER TABLE meetings ADD COLUMN IF NOT EXISTS changed_by VARCHAR;

-- One row per area that a save added or changed, with the values before (NULL for a new area) and after,
-- and who saved it.
CREATE SEQUENCE IF NOT EXISTS area_change_seq START 1;
CREATE TABLE IF NOT EXISTS area_changes (
    id              INTEGER PRIMARY KEY DEFAULT nextval('area_change_seq'),
    changed_at      TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    changed_by      VARCHAR NOT NULL,
    code            VARCHAR NOT NULL,
    old_name        VARCHAR,
    old_is_central  BOOLEAN,
    old_active      BOOLEAN,
    name            VARCHAR NOT NULL,
    is_central      BOOLEAN NOT NULL,
    active          BOOLEAN NOT NULL
);

-- Local accounts added, removed or given another role, from the admin page or the command line.
-- Never a password or a hash: only the account's name and roles.
CREATE SEQUENCE IF NOT EXISTS account_change_seq START 1;
CREATE TABLE IF NOT EXISTS account_changes (
    id          INTEGER PRIMARY KEY DEFAULT nextval('account_change_seq'),
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    changed_by  VARCHAR NOT NULL,
    account     VARCHAR NOT NULL,
    action      VARCHAR NOT NULL CHECK (action IN ('added', 'removed', 'role')),
    old_role    VARCHAR,
    new_role    VARCHAR
);
