-- +goose Up
-- Checkpoints of format 2 sign their predecessor and time too, and carry an
-- RFC 3161 time-stamp token over their signature; rows written before keep
-- format 1.
ALTER TABLE audit_checkpoints ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_checkpoints ADD COLUMN prev_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_checkpoints ADD COLUMN timestamp_token TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_checkpoints DROP COLUMN timestamp_token;
ALTER TABLE audit_checkpoints DROP COLUMN prev_seq;
ALTER TABLE audit_checkpoints DROP COLUMN format;
