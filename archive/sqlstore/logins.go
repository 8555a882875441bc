package sqlstore

import (
	"context"
	"fmt"

	"github.com/khoso-vn/khoso/archive"
)

const loginColumns = `l.name, l.password_hash, l.password_at, ` + userColumns

// Login implements archive.LoginReader.
func (q queries) Login(ctx context.Context, name string) (*archive.Login, error) {
	l, err := q.scanLogin(q.queryRow(ctx, `SELECT `+loginColumns+`
		FROM logins l JOIN users u ON u.id = l.user_id WHERE l.name = ?`, name))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: login %q: %w", name, err)
	}
	return l, nil
}

// LoginOf implements archive.LoginReader.
func (q queries) LoginOf(ctx context.Context, userID string) (*archive.Login, error) {
	l, err := q.scanLogin(q.queryRow(ctx, `SELECT `+loginColumns+`
		FROM logins l JOIN users u ON u.id = l.user_id WHERE l.user_id = ?`, userID))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: login of %s: %w", userID, err)
	}
	return l, nil
}

func (q queries) scanLogin(row interface{ Scan(...any) error }) (*archive.Login, error) {
	var l archive.Login
	var at string
	if err := scanUser(row, &l.User, &l.Name, &l.PasswordHash, &at); err != nil {
		return nil, err
	}
	l.UserID = l.User.ID
	var err error
	if l.PasswordAt, err = parseTime(at); err != nil {
		return nil, err
	}
	return &l, nil
}

// PutLogin implements archive.LoginWriter.
func (q queries) PutLogin(ctx context.Context, l *archive.Login) error {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ?`, l.UserID).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: put login %q: %w", l.Name, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: put login %q: user %s: %w", l.Name, l.UserID, archive.ErrNotFound)
	}
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM logins WHERE name = ? AND user_id <> ?`, l.Name, l.UserID).Scan(&n)
	if err != nil {
		return fmt.Errorf("sqlstore: put login %q: %w", l.Name, err)
	}
	if n > 0 {
		return fmt.Errorf("sqlstore: put login %q: name in use: %w", l.Name, archive.ErrConflict)
	}
	if _, err := q.exec(ctx, `DELETE FROM logins WHERE user_id = ?`, l.UserID); err != nil {
		return fmt.Errorf("sqlstore: put login %q: %w", l.Name, err)
	}
	_, err = q.exec(ctx, `INSERT INTO logins (user_id, name, password_hash, password_at) VALUES (?, ?, ?, ?)`,
		l.UserID, l.Name, l.PasswordHash, formatTime(l.PasswordAt))
	if err != nil {
		return fmt.Errorf("sqlstore: put login %q: %w", l.Name, err)
	}
	return nil
}

// Login implements archive.LoginReader.
func (s *Store) Login(ctx context.Context, name string) (*archive.Login, error) {
	return s.q.Login(ctx, name)
}

// LoginOf implements archive.LoginReader.
func (s *Store) LoginOf(ctx context.Context, userID string) (*archive.Login, error) {
	return s.q.LoginOf(ctx, userID)
}

// Session implements archive.LoginReader.
func (s *Store) Session(ctx context.Context, tokenHash archive.Ref) (*archive.Session, error) {
	return s.q.Session(ctx, tokenHash)
}

// PasswordLink implements archive.LoginReader.
func (s *Store) PasswordLink(ctx context.Context, tokenHash archive.Ref) (*archive.PasswordLink, error) {
	return s.q.PasswordLink(ctx, tokenHash)
}
