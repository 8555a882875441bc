-- +goose Up
-- The metadata field (manifest column) a record's reason is about, so a
-- screen can mark it, such as issued_on for a date that does not exist.
ALTER TABLE records ADD COLUMN reason_field TEXT NOT NULL DEFAULT '';
-- The records a clerk reviews: failed or waiting for metadata, newest first.
CREATE INDEX records_status ON records (status, id);

-- Corrections of a record's metadata after it was signed: who, when, why,
-- and the values before and after (JSON of archive.Metadata). The signed
-- PDF keeps the values it was signed with.
CREATE TABLE record_corrections (
    record_id         TEXT NOT NULL REFERENCES records (id),
    seq               INTEGER NOT NULL,
    corrected_by      TEXT NOT NULL,
    corrected_by_name TEXT NOT NULL DEFAULT '',
    corrected_at      TEXT NOT NULL,
    reason            TEXT NOT NULL,
    before_meta       TEXT NOT NULL,
    after_meta        TEXT NOT NULL,
    PRIMARY KEY (record_id, seq)
);

-- +goose Down
DROP TABLE record_corrections;
DROP INDEX records_status;
ALTER TABLE records DROP COLUMN reason_field;
