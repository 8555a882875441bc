package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// userColumns are read by scanUser, from users aliased u.
const userColumns = `u.id, u.name, u.role, u.agency, u.holder_id, u.created_at, u.disabled_at`

// scanUser reads userColumns (after any columns of dst) into u.
func scanUser(row interface{ Scan(...any) error }, u *archive.User, dst ...any) error {
	var created, disabled string
	err := row.Scan(append(dst, &u.ID, &u.Name, &u.Role, &u.Agency, &u.HolderID, &created, &disabled)...)
	if err != nil {
		return notFound(err)
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return err
	}
	u.DisabledAt, err = parseTime(disabled)
	return err
}

// CreateUser implements archive.CatalogWriter. users.token_hash, no
// longer read, gets a placeholder no token hashes to when there is no
// first token.
func (q queries) CreateUser(ctx context.Context, u *archive.User, tokenHash archive.Ref) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = q.now()
	}
	legacy := string(tokenHash)
	if legacy == "" {
		legacy = "none:" + u.ID
	}
	_, err := q.exec(ctx, `INSERT INTO users (id, name, role, agency, holder_id, token_hash, created_at, disabled_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Name, string(u.Role), u.Agency, u.HolderID, legacy, formatTime(u.CreatedAt), formatTime(u.DisabledAt))
	if err != nil {
		return fmt.Errorf("sqlstore: create user %s: %w", u.Name, err)
	}
	if tokenHash == "" {
		return nil
	}
	return q.CreateToken(ctx, &archive.Token{ID: archive.NewID("t", u.CreatedAt), UserID: u.ID,
		Name: archive.DefaultTokenName, Hash: tokenHash, CreatedAt: u.CreatedAt})
}

// UserByToken implements archive.CatalogReader.
func (q queries) UserByToken(ctx context.Context, tokenHash archive.Ref) (*archive.User, error) {
	t, err := q.TokenByHash(ctx, tokenHash)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: user by token: %w", err)
	}
	if t.Revoked() {
		return nil, fmt.Errorf("sqlstore: user by token: revoked: %w", archive.ErrNotFound)
	}
	return &t.User, nil
}

// User implements archive.UserReader.
func (q queries) User(ctx context.Context, id string) (*archive.User, error) {
	var u archive.User
	if err := scanUser(q.queryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = ?`, id), &u); err != nil {
		return nil, fmt.Errorf("sqlstore: user %s: %w", id, err)
	}
	return &u, nil
}

// Users implements archive.UserReader.
func (q queries) Users(ctx context.Context, f archive.UserFilter) ([]archive.UserSummary, error) {
	query := `SELECT COALESCE(l.name, ''), COALESCE(l.password_hash, ''), ` + userColumns + `
		FROM users u LEFT JOIN logins l ON l.user_id = u.id WHERE 1 = 1`
	var args []any
	if f.Role != "" {
		query += ` AND u.role = ?`
		args = append(args, string(f.Role))
	}
	if f.Agency != "" {
		query += ` AND u.agency = ?`
		args = append(args, f.Agency)
	}
	query += ` ORDER BY u.created_at, u.id`
	if f.Limit > 0 {
		query += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: users: %w", err)
	}
	defer rows.Close()
	var out []archive.UserSummary
	for rows.Next() {
		var s archive.UserSummary
		var hash string
		if err := scanUser(rows, &s.User, &s.Login, &hash); err != nil {
			return nil, fmt.Errorf("sqlstore: users: %w", err)
		}
		s.PasswordSet = hash != ""
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: users: %w", err)
	}
	return out, nil
}

// UpdateUser implements archive.UserWriter.
func (q queries) UpdateUser(ctx context.Context, u *archive.User) error {
	res, err := q.exec(ctx, `UPDATE users SET name = ?, role = ?, agency = ?, holder_id = ?, disabled_at = ? WHERE id = ?`,
		u.Name, string(u.Role), u.Agency, u.HolderID, formatTime(u.DisabledAt), u.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: update user %s: %w", u.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("sqlstore: update user %s: %w", u.ID, archive.ErrNotFound)
	}
	return nil
}

const tokenColumns = `t.id, t.user_id, t.name, t.token_hash, t.created_at, t.last_used, t.revoked_at`

func scanToken(row interface{ Scan(...any) error }, t *archive.Token, more ...any) error {
	var hash, created, used, revoked string
	err := row.Scan(append([]any{&t.ID, &t.UserID, &t.Name, &hash, &created, &used, &revoked}, more...)...)
	if err != nil {
		return notFound(err)
	}
	t.Hash = archive.Ref(hash)
	for _, f := range []struct {
		dst *time.Time
		src string
	}{{&t.CreatedAt, created}, {&t.LastUsed, used}, {&t.RevokedAt, revoked}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return err
		}
	}
	return nil
}

// Token implements archive.UserReader.
func (q queries) Token(ctx context.Context, id string) (*archive.Token, error) {
	var t archive.Token
	if err := scanToken(q.queryRow(ctx, `SELECT `+tokenColumns+` FROM tokens t WHERE t.id = ?`, id), &t); err != nil {
		return nil, fmt.Errorf("sqlstore: token %s: %w", id, err)
	}
	return &t, nil
}

// TokenByHash implements archive.UserReader.
func (q queries) TokenByHash(ctx context.Context, hash archive.Ref) (*archive.Token, error) {
	var t archive.Token
	row := q.queryRow(ctx, `SELECT `+tokenColumns+`, `+userColumns+`
		FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, string(hash))
	var created, disabled string
	u := &t.User
	err := scanToken(row, &t, &u.ID, &u.Name, &u.Role, &u.Agency, &u.HolderID, &created, &disabled)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: token by hash: %w", err)
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if u.DisabledAt, err = parseTime(disabled); err != nil {
		return nil, err
	}
	return &t, nil
}

// Tokens implements archive.UserReader.
func (q queries) Tokens(ctx context.Context, userID string) ([]archive.Token, error) {
	rows, err := q.query(ctx, `SELECT `+tokenColumns+` FROM tokens t WHERE t.user_id = ? ORDER BY t.created_at, t.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: tokens of %s: %w", userID, err)
	}
	defer rows.Close()
	var out []archive.Token
	for rows.Next() {
		var t archive.Token
		if err := scanToken(rows, &t); err != nil {
			return nil, fmt.Errorf("sqlstore: tokens of %s: %w", userID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CreateToken implements archive.UserWriter.
func (q queries) CreateToken(ctx context.Context, t *archive.Token) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = q.now()
	}
	if _, err := q.User(ctx, t.UserID); err != nil {
		return fmt.Errorf("sqlstore: create token %q: %w", t.Name, err)
	}
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM tokens WHERE token_hash = ?`, string(t.Hash)).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: create token %q: %w", t.Name, err)
	}
	if n > 0 {
		return fmt.Errorf("sqlstore: create token %q: hash in use: %w", t.Name, archive.ErrConflict)
	}
	_, err := q.exec(ctx, `INSERT INTO tokens (id, user_id, name, token_hash, created_at, last_used, revoked_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ID, t.UserID, t.Name, string(t.Hash), formatTime(t.CreatedAt),
		formatTime(t.LastUsed), formatTime(t.RevokedAt))
	if err != nil {
		return fmt.Errorf("sqlstore: create token %q: %w", t.Name, err)
	}
	return nil
}

// RevokeToken implements archive.UserWriter.
func (q queries) RevokeToken(ctx context.Context, id string, at time.Time) error {
	if _, err := q.Token(ctx, id); err != nil {
		return fmt.Errorf("sqlstore: revoke token: %w", err)
	}
	if _, err := q.exec(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''`, formatTime(at), id); err != nil {
		return fmt.Errorf("sqlstore: revoke token %s: %w", id, err)
	}
	return nil
}

// TouchToken implements archive.UserWriter.
func (q queries) TouchToken(ctx context.Context, id string, at time.Time) error {
	res, err := q.exec(ctx, `UPDATE tokens SET last_used = ? WHERE id = ?`, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("sqlstore: touch token %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("sqlstore: touch token %s: %w", id, archive.ErrNotFound)
	}
	return nil
}

// PutAgency implements archive.UserWriter.
func (q queries) PutAgency(ctx context.Context, a *archive.Agency) error {
	var created string
	err := q.queryRow(ctx, `SELECT created_at FROM agencies WHERE code = ?`, a.Code).Scan(&created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if a.CreatedAt.IsZero() {
			a.CreatedAt = q.now()
		}
		_, err = q.exec(ctx, `INSERT INTO agencies (code, name_vi, name_en, created_at) VALUES (?, ?, ?, ?)`,
			a.Code, a.NameVi, a.NameEn, formatTime(a.CreatedAt))
	case err == nil:
		if a.CreatedAt, err = parseTime(created); err != nil {
			return err
		}
		_, err = q.exec(ctx, `UPDATE agencies SET name_vi = ?, name_en = ? WHERE code = ?`, a.NameVi, a.NameEn, a.Code)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: put agency %s: %w", a.Code, err)
	}
	return nil
}

// Agencies implements archive.UserReader.
func (q queries) Agencies(ctx context.Context) ([]archive.AgencySummary, error) {
	byCode := map[string]*archive.AgencySummary{}
	get := func(code string) *archive.AgencySummary {
		if a, ok := byCode[code]; ok {
			return a
		}
		a := &archive.AgencySummary{Agency: archive.Agency{Code: code}}
		byCode[code] = a
		return a
	}
	rows, err := q.query(ctx, `SELECT code, name_vi, name_en, created_at FROM agencies`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: agencies: %w", err)
	}
	for rows.Next() {
		var code, vi, en, created string
		if err := rows.Scan(&code, &vi, &en, &created); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlstore: agencies: %w", err)
		}
		a := get(code)
		a.NameVi, a.NameEn, a.Named = vi, en, true
		if a.CreatedAt, err = parseTime(created); err != nil {
			rows.Close()
			return nil, err
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: agencies: %w", err)
	}
	for _, c := range []struct {
		query string
		count func(*archive.AgencySummary) *int
	}{
		{`SELECT agency, COUNT(*) FROM users WHERE agency <> '' GROUP BY agency`, func(a *archive.AgencySummary) *int { return &a.Users }},
		{`SELECT agency, COUNT(*) FROM records GROUP BY agency`, func(a *archive.AgencySummary) *int { return &a.Records }},
	} {
		if err := q.countBy(ctx, c.query, func(code string, n int) { *c.count(get(code)) = n }); err != nil {
			return nil, fmt.Errorf("sqlstore: agencies: %w", err)
		}
	}
	out := make([]archive.AgencySummary, 0, len(byCode))
	for _, a := range byCode {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return strings.Compare(out[i].Code, out[j].Code) < 0 })
	return out, nil
}

// countBy runs a query of (key, count) rows and calls fn for each.
func (q queries) countBy(ctx context.Context, query string, fn func(key string, n int)) error {
	rows, err := q.query(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return err
		}
		fn(key, n)
	}
	return rows.Err()
}

// StatusCounts implements archive.UserReader.
func (q queries) StatusCounts(ctx context.Context) (map[archive.Status]int, error) {
	out := map[archive.Status]int{}
	err := q.countBy(ctx, `SELECT status, COUNT(*) FROM records GROUP BY status`, func(s string, n int) { out[archive.Status(s)] = n })
	if err != nil {
		return nil, fmt.Errorf("sqlstore: status counts: %w", err)
	}
	return out, nil
}

// User implements archive.UserReader.
func (s *Store) User(ctx context.Context, id string) (*archive.User, error) { return s.q.User(ctx, id) }

// Users implements archive.UserReader.
func (s *Store) Users(ctx context.Context, f archive.UserFilter) ([]archive.UserSummary, error) {
	return s.q.Users(ctx, f)
}

// Token implements archive.UserReader.
func (s *Store) Token(ctx context.Context, id string) (*archive.Token, error) {
	return s.q.Token(ctx, id)
}

// TokenByHash implements archive.UserReader.
func (s *Store) TokenByHash(ctx context.Context, h archive.Ref) (*archive.Token, error) {
	return s.q.TokenByHash(ctx, h)
}

// Tokens implements archive.UserReader.
func (s *Store) Tokens(ctx context.Context, userID string) ([]archive.Token, error) {
	return s.q.Tokens(ctx, userID)
}

// Agencies implements archive.UserReader.
func (s *Store) Agencies(ctx context.Context) ([]archive.AgencySummary, error) {
	return s.q.Agencies(ctx)
}

// StatusCounts implements archive.UserReader.
func (s *Store) StatusCounts(ctx context.Context) (map[archive.Status]int, error) {
	return s.q.StatusCounts(ctx)
}
