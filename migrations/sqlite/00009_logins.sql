-- +goose Up
-- Sign-in with a login name and password: one login per user (the password
-- as an encoded argon2id hash, empty until set), browser sessions and
-- one-time links to set a password. Tokens are kept only as their SHA-256.
CREATE TABLE logins (
    user_id       TEXT PRIMARY KEY REFERENCES users (id),
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL DEFAULT '',
    password_at   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    provider   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE password_links (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE password_links;
DROP TABLE sessions;
DROP TABLE logins;
