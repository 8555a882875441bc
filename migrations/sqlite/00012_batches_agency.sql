-- +goose Up
-- The batches screen lists an agency's batches, newest first.
CREATE INDEX batches_agency ON batches (agency, id);

-- +goose Down
DROP INDEX batches_agency;
