-- Failed sign-ins are counted per salted hash of the name typed, never the text: a password typed into the
-- name field was stored as it was. The salt is made once per database by the first sign-in (Store.sign_in_salt).
-- The rows before this held the text; they only counted toward a 15-minute lock, so they are removed.
CREATE TABLE sign_in_salt (
    salt VARCHAR NOT NULL
);
DELETE FROM sign_in_failures;
ALTER TABLE sign_in_failures RENAME COLUMN username TO name_hash;
