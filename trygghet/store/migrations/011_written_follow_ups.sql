-- The written follow-up that the agreements promise once a year (to kommunstyrelsen and the police
-- authority): when it was produced and its diarienummer, entered by an admin. One per agreement and year.

CREATE TABLE written_follow_ups (
    agreement_id  VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    produced_on   DATE NOT NULL,
    diarienummer  VARCHAR NOT NULL CHECK (length(trim(diarienummer)) > 0),
    entered_by    VARCHAR NOT NULL,
    entered_at    TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (agreement_id, year)
);
