-- +goose Up
-- Administration: a user can be disabled; a user holds any number of named
-- API tokens (kept as their SHA-256), the one token each user had is kept as
-- its first; agencies have a registry with their names. users.token_hash is
-- no longer read (dropping a UNIQUE column needs SQLite to rebuild the
-- table, which the tables referring to users forbid); a user created without
-- a token holds a placeholder there that no token hashes to.
ALTER TABLE users ADD COLUMN disabled_at TEXT NOT NULL DEFAULT '';

CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used  TEXT NOT NULL DEFAULT '',
    revoked_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tokens_user ON tokens (user_id);
INSERT INTO tokens (id, user_id, name, token_hash, created_at)
    SELECT 't-' || id, id, 'default', token_hash, created_at FROM users;

CREATE TABLE agencies (
    code       TEXT PRIMARY KEY,
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE agencies;
DROP TABLE tokens;
ALTER TABLE users DROP COLUMN disabled_at;
