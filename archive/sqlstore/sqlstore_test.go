package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/archivetest"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/migrations"
)

func TestCatalogSQLite(t *testing.T) {
	t.Parallel()
	archivetest.TestCatalog(t, func(t testing.TB) archive.Catalog {
		db, err := sqlstore.OpenSQLite(filepath.Join(t.TempDir(), "catalog.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := migrations.Up(context.Background(), db, migrations.SQLite); err != nil {
			t.Fatal(err)
		}
		// Twice: migrating an up-to-date database is harmless.
		if err := migrations.Up(context.Background(), db, migrations.SQLite); err != nil {
			t.Fatalf("second migration: %v", err)
		}
		s, err := sqlstore.New(sqlstore.Config{DB: db, Dialect: sqlstore.SQLiteDialect})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestCatalogPostgres(t *testing.T) {
	t.Parallel()
	archivetest.TestCatalog(t, func(t testing.TB) archive.Catalog {
		ctx := context.Background()
		pool, db, err := sqlstore.OpenPostgres(ctx, archivetest.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close(); pool.Close() })
		for range 2 { // migrating an up-to-date database is harmless
			if err := migrations.Up(ctx, db, migrations.Postgres); err != nil {
				t.Fatal(err)
			}
		}
		s, err := sqlstore.New(sqlstore.Config{DB: db, Dialect: sqlstore.PostgresDialect})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
