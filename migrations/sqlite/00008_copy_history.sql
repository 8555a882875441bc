-- +goose Up
-- The files a copy had before a renewal (a new document timestamp) replaced
-- them: each stays genuine for /verify/{code}.
CREATE TABLE copy_history (
    copy_id     TEXT NOT NULL REFERENCES copies (id),
    ref         TEXT NOT NULL,
    version     TEXT NOT NULL DEFAULT '',
    replaced_at TEXT NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (copy_id, ref)
);
CREATE INDEX copy_history_ref ON copy_history (ref);

-- +goose Down
DROP TABLE copy_history;
