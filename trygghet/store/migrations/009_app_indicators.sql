-- Indicators defined in the app (page Indikatorer) rather than in a module of indicators/: the declaration
-- is the JSON of indicators._base.Indicator, checked by the same rules as the modules' when it is saved and
-- again whenever it is loaded. A removed indicator is kept inactive, so figures already locked in meeting
-- snapshots can still be traced to it.
CREATE TABLE IF NOT EXISTS app_indicators (
    id          VARCHAR PRIMARY KEY,
    declaration VARCHAR NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    created_by  VARCHAR NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    changed_by  VARCHAR NOT NULL
);
