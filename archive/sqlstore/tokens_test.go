package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/migrations"
)

// TestTokensMigrated: the token each user had before users held several
// still works after migration 00013, on both dialects.
func TestTokensMigrated(t *testing.T) {
	t.Parallel()
	onBothDialects(t, testTokensMigrated)
}

func testTokensMigrated(t *testing.T, db *sql.DB, name migrations.Dialect, d sqlstore.Dialect) {
	ctx := context.Background()
	if err := migrations.UpTo(ctx, db, name, 11); err != nil {
		t.Fatal(err)
	}
	h := archive.RefOf([]byte("khoso_old token"))
	q := `INSERT INTO users (id, name, role, agency, holder_id, token_hash, created_at) VALUES (` +
		d.Placeholder(1) + `, 'Lê Thị Hoa', 'clerk', 'BTNMT', '', ` + d.Placeholder(2) + `, '2026-01-02T03:04:05.000000000Z')`
	if _, err := db.ExecContext(ctx, q, "u-old", string(h)); err != nil {
		t.Fatal(err)
	}
	if err := migrations.Up(ctx, db, name); err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.New(sqlstore.Config{DB: db, Dialect: d})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.UserByToken(ctx, h)
	if err != nil || u.ID != "u-old" || u.Disabled() {
		t.Fatalf("UserByToken(old token) after migrating = %+v, %v", u, err)
	}
	list, err := s.Tokens(ctx, "u-old")
	if err != nil || len(list) != 1 || list[0].Name != archive.DefaultTokenName || list[0].CreatedAt.Year() != 2026 {
		t.Fatalf("Tokens after migrating = %+v, %v", list, err)
	}
}
