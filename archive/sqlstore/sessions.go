package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// Session implements archive.LoginReader.
func (q queries) Session(ctx context.Context, tokenHash archive.Ref) (*archive.Session, error) {
	var s archive.Session
	var created, seen string
	err := scanUser(q.queryRow(ctx, `SELECT s.provider, s.created_at, s.last_seen, `+userColumns+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, string(tokenHash)),
		&s.User, &s.Provider, &created, &seen)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: session: %w", err)
	}
	s.TokenHash, s.UserID = tokenHash, s.User.ID
	for _, f := range []struct {
		dst *time.Time
		src string
	}{{&s.CreatedAt, created}, {&s.LastSeen, seen}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

// CreateSession implements archive.LoginWriter.
func (q queries) CreateSession(ctx context.Context, s *archive.Session) error {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = q.now()
	}
	if s.LastSeen.IsZero() {
		s.LastSeen = s.CreatedAt
	}
	_, err := q.exec(ctx, `INSERT INTO sessions (token_hash, user_id, provider, created_at, last_seen) VALUES (?, ?, ?, ?, ?)`,
		string(s.TokenHash), s.UserID, s.Provider, formatTime(s.CreatedAt), formatTime(s.LastSeen))
	if err != nil {
		return fmt.Errorf("sqlstore: create session of %s: %w", s.UserID, err)
	}
	return nil
}

// TouchSession implements archive.LoginWriter.
func (q queries) TouchSession(ctx context.Context, tokenHash archive.Ref, at time.Time) error {
	res, err := q.exec(ctx, `UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, formatTime(at), string(tokenHash))
	if err != nil {
		return fmt.Errorf("sqlstore: touch session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("sqlstore: touch session: %w", archive.ErrNotFound)
	}
	return nil
}

// DeleteSession implements archive.LoginWriter.
func (q queries) DeleteSession(ctx context.Context, tokenHash archive.Ref) error {
	if _, err := q.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, string(tokenHash)); err != nil {
		return fmt.Errorf("sqlstore: delete session: %w", err)
	}
	return nil
}

// DeleteSessions implements archive.LoginWriter.
func (q queries) DeleteSessions(ctx context.Context, userID string) (int, error) {
	res, err := q.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete sessions of %s: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DeleteStaleSessions implements archive.LoginWriter.
func (q queries) DeleteStaleSessions(ctx context.Context, createdBefore, seenBefore time.Time) (int, error) {
	res, err := q.exec(ctx, `DELETE FROM sessions WHERE created_at < ? OR last_seen < ?`,
		formatTime(createdBefore), formatTime(seenBefore))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete stale sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// PasswordLink implements archive.LoginReader.
func (q queries) PasswordLink(ctx context.Context, tokenHash archive.Ref) (*archive.PasswordLink, error) {
	l := archive.PasswordLink{TokenHash: tokenHash}
	var created, expires, used string
	err := q.queryRow(ctx, `SELECT user_id, created_at, expires_at, used_at FROM password_links WHERE token_hash = ?`,
		string(tokenHash)).Scan(&l.UserID, &created, &expires, &used)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: password link: %w", notFound(err))
	}
	for _, f := range []struct {
		dst *time.Time
		src string
	}{{&l.CreatedAt, created}, {&l.ExpiresAt, expires}, {&l.UsedAt, used}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return nil, err
		}
	}
	return &l, nil
}

// CreatePasswordLink implements archive.LoginWriter.
func (q queries) CreatePasswordLink(ctx context.Context, l *archive.PasswordLink) error {
	if l.CreatedAt.IsZero() {
		l.CreatedAt = q.now()
	}
	_, err := q.exec(ctx, `INSERT INTO password_links (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		string(l.TokenHash), l.UserID, formatTime(l.CreatedAt), formatTime(l.ExpiresAt))
	if err != nil {
		return fmt.Errorf("sqlstore: create password link of %s: %w", l.UserID, err)
	}
	return nil
}

// UsePasswordLink implements archive.LoginWriter. The update's condition
// makes it once only, even when two transactions race.
func (q queries) UsePasswordLink(ctx context.Context, tokenHash archive.Ref, at time.Time) (*archive.PasswordLink, error) {
	res, err := q.exec(ctx, `UPDATE password_links SET used_at = ? WHERE token_hash = ? AND used_at = '' AND expires_at > ?`,
		formatTime(at), string(tokenHash), formatTime(at))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: use password link: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return nil, fmt.Errorf("sqlstore: use password link: missing, used or expired: %w", archive.ErrNotFound)
	}
	return q.PasswordLink(ctx, tokenHash)
}
