// Package migrations holds khoso's catalog schema, one folder of SQL files
// per database dialect, embedded in the binary and applied with goose.
//
// River's own tables are not here: cmd/khoso applies them with rivermigrate
// in the same step, so `khoso migrate` (and the first `khoso serve`) leaves a
// database complete.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// Dialect names a database flavour with its own migration folder.
type Dialect string

// Supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Up applies every pending migration of dialect to db. Running it again is
// harmless.
func Up(ctx context.Context, db *sql.DB, dialect Dialect) error { return UpTo(ctx, db, dialect, 0) }

// UpTo applies the pending migrations of dialect numbered up to version (0:
// all of them), so a test can put rows in an older schema and migrate them.
func UpTo(ctx context.Context, db *sql.DB, dialect Dialect, version int64) error {
	var gd goose.Dialect
	switch dialect {
	case SQLite:
		gd = goose.DialectSQLite3
	case Postgres:
		gd = goose.DialectPostgres
	default:
		return fmt.Errorf("migrations: unknown dialect %q", dialect)
	}
	sub, err := fs.Sub(files, string(dialect))
	if err != nil {
		return fmt.Errorf("migrations: %s: %w", dialect, err)
	}
	p, err := goose.NewProvider(gd, db, sub)
	if err != nil {
		return fmt.Errorf("migrations: %s: %w", dialect, err)
	}
	if version > 0 {
		_, err = p.UpTo(ctx, version)
	} else {
		_, err = p.Up(ctx)
	}
	if err != nil {
		return fmt.Errorf("migrations: %s up: %w", dialect, err)
	}
	return nil
}
