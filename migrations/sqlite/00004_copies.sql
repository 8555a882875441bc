-- +goose Up
CREATE TABLE copies (
    id             TEXT PRIMARY KEY,
    record_id      TEXT NOT NULL REFERENCES records (id),
    form           TEXT NOT NULL,
    pages          TEXT NOT NULL DEFAULT '',
    for_name       TEXT NOT NULL,
    purpose        TEXT NOT NULL DEFAULT '',
    issued_by      TEXT NOT NULL,
    issued_at      TEXT NOT NULL,
    code           TEXT NOT NULL UNIQUE,
    result_ref     TEXT NOT NULL,
    result_version TEXT NOT NULL DEFAULT '',
    size           BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX copies_record ON copies (record_id);

-- +goose Down
DROP TABLE copies;
