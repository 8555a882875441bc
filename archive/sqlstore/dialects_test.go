package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/khoso-vn/khoso/archive/archivetest"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/migrations"
)

// onBothDialects runs test on an empty SQLite database and on an empty
// PostgreSQL one, neither migrated: tests of a migration start it where
// they need.
func onBothDialects(t *testing.T, test func(t *testing.T, db *sql.DB, name migrations.Dialect, d sqlstore.Dialect)) {
	t.Run("SQLite", func(t *testing.T) {
		t.Parallel()
		db, err := sqlstore.OpenSQLite(filepath.Join(t.TempDir(), "catalog.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		test(t, db, migrations.SQLite, sqlstore.SQLiteDialect)
	})
	t.Run("Postgres", func(t *testing.T) {
		t.Parallel()
		pool, db, err := sqlstore.OpenPostgres(context.Background(), archivetest.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close(); pool.Close() })
		test(t, db, migrations.Postgres, sqlstore.PostgresDialect)
	})
}
