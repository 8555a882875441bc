-- +goose Up
-- Who scanned a record's paper and when (Circular 01/2023 Art. 8.1): the
-- manifest's scanned_by column or the uploading clerk; the time from the
-- page files (EXIF, TIFF, PDF) or, failing that, the upload, and which.
ALTER TABLE records ADD COLUMN scanned_by TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN scanned_at TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN scanned_at_from TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE records DROP COLUMN scanned_at_from;
ALTER TABLE records DROP COLUMN scanned_at;
ALTER TABLE records DROP COLUMN scanned_by;
