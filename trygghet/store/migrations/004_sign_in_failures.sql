-- Failed local sign-ins per account: they slow down and, past a limit, lock the account for a while.
CREATE TABLE sign_in_failures (
    username   VARCHAR NOT NULL,
    failed_at  TIMESTAMPTZ NOT NULL
);
