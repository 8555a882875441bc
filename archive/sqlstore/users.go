package sqlstore

import (
	"context"
	"fmt"

	"github.com/khoso-vn/khoso/archive"
)

// CreateUser implements archive.CatalogWriter.
func (q queries) CreateUser(ctx context.Context, u *archive.User, tokenHash archive.Ref) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = q.now()
	}
	_, err := q.exec(ctx, `INSERT INTO users (id, name, role, agency, holder_id, token_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Name, string(u.Role), u.Agency, u.HolderID, string(tokenHash), formatTime(u.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlstore: create user %s: %w", u.Name, err)
	}
	return nil
}

// UserByToken implements archive.CatalogReader.
func (q queries) UserByToken(ctx context.Context, tokenHash archive.Ref) (*archive.User, error) {
	var u archive.User
	var created string
	err := q.queryRow(ctx, `SELECT id, name, role, agency, holder_id, created_at FROM users WHERE token_hash = ?`,
		string(tokenHash)).Scan(&u.ID, &u.Name, &u.Role, &u.Agency, &u.HolderID, &created)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: user by token: %w", notFound(err))
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	return &u, nil
}
