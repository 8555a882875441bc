-- +goose Up
ALTER TABLE records ADD COLUMN result_version TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE records DROP COLUMN result_version;
