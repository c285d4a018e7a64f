-- What the council writes and locks at a meeting: comments per commitment, follow-up points
-- agreed at the table, and the figures shown, locked so the minutes keep them.

CREATE SEQUENCE meeting_comment_seq START 1;
CREATE TABLE meeting_comments (
    id             INTEGER PRIMARY KEY DEFAULT nextval('meeting_comment_seq'),
    meeting_id     INTEGER NOT NULL,
    commitment_id  VARCHAR NOT NULL,
    text           VARCHAR NOT NULL CHECK (length(trim(text)) > 0),
    written_by     VARCHAR NOT NULL,
    written_at     TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE follow_up_seq START 1;
CREATE TABLE follow_ups (
    id              INTEGER PRIMARY KEY DEFAULT nextval('follow_up_seq'),
    raised_at       INTEGER NOT NULL,          -- the meeting where it was agreed
    due_meeting     INTEGER,                   -- the meeting by which it is due
    text            VARCHAR NOT NULL CHECK (length(trim(text)) > 0),
    responsible     VARCHAR NOT NULL,
    written_by      VARCHAR NOT NULL,
    written_at      TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    done_at         TIMESTAMPTZ,
    done_by         VARCHAR
);

CREATE TABLE meeting_snapshots (
    meeting_id  INTEGER PRIMARY KEY,
    locked_at   TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    locked_by   VARCHAR NOT NULL,
    figures     VARCHAR NOT NULL               -- JSON of trygghet.meetings.MeetingReport
);
