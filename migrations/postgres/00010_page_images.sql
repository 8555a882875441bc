-- +goose Up
-- A page's thumbnail and preview (JPEG blobs made at normalisation); '' until made.
ALTER TABLE pages ADD COLUMN thumb_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN preview_ref TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE pages DROP COLUMN preview_ref;
ALTER TABLE pages DROP COLUMN thumb_ref;
