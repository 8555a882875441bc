-- +goose Up
CREATE TABLE result_history (
    record_id   TEXT NOT NULL REFERENCES records (id),
    ref         TEXT NOT NULL,
    version     TEXT NOT NULL DEFAULT '',
    replaced_at TEXT NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (record_id, ref)
);
CREATE INDEX result_history_ref ON result_history (ref);

-- +goose Down
DROP TABLE result_history;
