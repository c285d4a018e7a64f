-- Agreements, focus areas and commitments become data kept in the database (issue 14): from here on
-- the database is the master and data/agreements.toml and data/commitments.toml seed it once (see
-- reference_seeds), after which TOML is only an exchange format.
--
-- The agreements table is rebuilt with the new fields (the first six columns as before, so readers of
-- `SELECT *` keep theirs). Agreements already stored were synced from the files, so they are published.
CREATE TABLE agreements_rebuilt (
    id             VARCHAR PRIMARY KEY,
    title          VARCHAR NOT NULL CHECK (length(trim(title)) > 0),
    kind           VARCHAR NOT NULL CHECK (kind IN ('samverkansöverenskommelse', 'medborgarlöfte')),
    valid_from     DATE NOT NULL,
    valid_to       DATE NOT NULL,
    source         VARCHAR NOT NULL DEFAULT '',      -- the title of the source document
    parties        VARCHAR[] NOT NULL DEFAULT [],
    signatories    STRUCT(name VARCHAR, title VARCHAR)[] NOT NULL DEFAULT [],
    status         VARCHAR NOT NULL DEFAULT 'utkast' CHECK (status IN ('utkast', 'publicerad')),
    published_by   VARCHAR,
    published_at   TIMESTAMPTZ,
    replaces       VARCHAR,                          -- another agreement's id ...
    replaces_from  DATE,                             -- ... which this one replaces from this day
    is_example     BOOLEAN NOT NULL DEFAULT FALSE,   -- an invented agreement for the demonstration
    created_by     VARCHAR,
    created_at     TIMESTAMPTZ,
    CHECK (valid_to >= valid_from),
    CHECK ((replaces IS NULL) = (replaces_from IS NULL))
);
INSERT INTO agreements_rebuilt (id, title, kind, valid_from, valid_to, source, status)
    SELECT id, title, kind, valid_from, valid_to, source, 'publicerad' FROM agreements;
DROP TABLE agreements;
ALTER TABLE agreements_rebuilt RENAME TO agreements;

-- Which reference files have seeded the database ('agreements': agreements, focus areas, commitments).
CREATE TABLE reference_seeds (
    name       VARCHAR PRIMARY KEY,
    seeded_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- The source document of an agreement (PDF or text), kept in the database and downloadable; one each.
CREATE TABLE agreement_documents (
    agreement_id  VARCHAR PRIMARY KEY,
    file_name     VARCHAR NOT NULL,
    mime_type     VARCHAR NOT NULL,
    content       BLOB NOT NULL,
    attached_by   VARCHAR NOT NULL,
    attached_at   TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- Every change of a published agreement, value by value, with who, when and why.
CREATE SEQUENCE agreement_version_seq START 1;
CREATE TABLE agreement_versions (
    id             INTEGER PRIMARY KEY DEFAULT nextval('agreement_version_seq'),
    agreement_id   VARCHAR NOT NULL,
    commitment_id  VARCHAR,                          -- NULL: a field of the agreement itself
    field          VARCHAR NOT NULL,
    old_value      VARCHAR,
    new_value      VARCHAR,
    changed_by     VARCHAR NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    reason         VARCHAR NOT NULL CHECK (length(trim(reason)) > 0)
);

-- Links from a commitment to existing indicators besides those an indicator module declares itself,
-- e.g. for the commitments of an agreement copied from another.
CREATE TABLE commitment_indicators (
    commitment_id  VARCHAR NOT NULL,
    indicator_id   VARCHAR NOT NULL,
    ordinal        INTEGER NOT NULL,
    PRIMARY KEY (commitment_id, indicator_id)
);
