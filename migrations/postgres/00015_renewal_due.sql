-- +goose Up
-- Until when the newest time-stamp of each result and each certified copy
-- keeps it trustworthy (the end of its TSA certificate or of its algorithms,
-- signing.TrustedUntil), so the daily renewal reads only the documents due
-- (trusted_until <= now + the renewal margin) instead of every file. NULL is
-- "not known": rows from before this column, and documents with no readable
-- time-stamp; the renewal reads them and fills it in.
ALTER TABLE records ADD COLUMN trusted_until TEXT;
ALTER TABLE copies ADD COLUMN trusted_until TEXT;
CREATE INDEX records_trusted_until ON records (status, trusted_until, id);
CREATE INDEX copies_trusted_until ON copies (trusted_until, id);

-- +goose Down
DROP INDEX copies_trusted_until;
DROP INDEX records_trusted_until;
ALTER TABLE copies DROP COLUMN trusted_until;
ALTER TABLE records DROP COLUMN trusted_until;
