-- +goose Up
ALTER TABLE records ADD COLUMN agency TEXT NOT NULL DEFAULT '';
CREATE INDEX records_holder ON records (holder_id);

CREATE TABLE shares (
    id           TEXT PRIMARY KEY,
    record_id    TEXT NOT NULL REFERENCES records (id),
    holder_id    TEXT NOT NULL,
    agency       TEXT NOT NULL,
    dossier_code TEXT NOT NULL,
    until        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX shares_agency ON shares (agency, until);
CREATE INDEX shares_holder ON shares (holder_id);

CREATE TABLE audit_events (
    seq       BIGINT PRIMARY KEY,
    time      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

CREATE TABLE audit_checkpoints (
    seq         BIGINT PRIMARY KEY REFERENCES audit_events (seq),
    hash        TEXT NOT NULL,
    time        TEXT NOT NULL,
    signature   TEXT NOT NULL,
    certificate TEXT NOT NULL
);

-- +goose Down
DROP TABLE audit_checkpoints;
DROP TABLE audit_events;
DROP TABLE shares;
DROP INDEX records_holder;
ALTER TABLE records DROP COLUMN agency;
