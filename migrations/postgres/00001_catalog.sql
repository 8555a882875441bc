-- +goose Up
CREATE TABLE batches (
    id         TEXT PRIMARY KEY,
    agency     TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE records (
    id             TEXT PRIMARY KEY,
    batch_id       TEXT NOT NULL REFERENCES batches (id),
    row            INTEGER NOT NULL,
    status         TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    doc_type_code  TEXT NOT NULL DEFAULT '',
    doc_name       TEXT NOT NULL DEFAULT '',
    number         TEXT NOT NULL DEFAULT '',
    issued_on      TEXT NOT NULL DEFAULT '',
    issuer         TEXT NOT NULL DEFAULT '',
    holder_id      TEXT NOT NULL DEFAULT '',
    holder_name    TEXT NOT NULL DEFAULT '',
    summary        TEXT NOT NULL DEFAULT '',
    valid_until    TEXT NOT NULL DEFAULT '',
    validity_scope TEXT NOT NULL DEFAULT '',
    procedure_code TEXT NOT NULL DEFAULT '',
    dossier_code   TEXT NOT NULL DEFAULT '',
    unsigned_ref   TEXT NOT NULL DEFAULT '',
    result_ref     TEXT NOT NULL DEFAULT '',
    size           BIGINT NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX records_batch ON records (batch_id, row);
CREATE INDEX records_result ON records (result_ref);

CREATE TABLE pages (
    record_id      TEXT NOT NULL REFERENCES records (id),
    n              INTEGER NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    original_ref   TEXT NOT NULL,
    normalised_ref TEXT NOT NULL DEFAULT '',
    format         TEXT NOT NULL DEFAULT '',
    width          BIGINT NOT NULL DEFAULT 0,
    height         BIGINT NOT NULL DEFAULT 0,
    dpi            DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (record_id, n)
);

CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    agency     TEXT NOT NULL DEFAULT '',
    holder_id  TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE users;
DROP TABLE pages;
DROP TABLE records;
DROP TABLE batches;
