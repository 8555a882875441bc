package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/khoso-vn/khoso/migrations"
)

// PostgresDialect is the dialect of PostgreSQL through pgx.
var PostgresDialect = Dialect{
	Name:        migrations.Postgres,
	Placeholder: func(n int) string { return "$" + strconv.Itoa(n) },
	LockRow:     "FOR UPDATE",
	LockAudit:   "SELECT pg_advisory_xact_lock(7310231)",
	begin:       beginPgx,
}

// OpenPostgres connects to the PostgreSQL database at url and returns the
// pool River uses and a database/sql view of the same pool for the catalog.
func OpenPostgres(ctx context.Context, url string) (*pgxpool.Pool, *sql.DB, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	return pool, stdlib.OpenDBFromPool(pool), nil
}

// beginPgx starts a pgx transaction on one pooled connection and runs the
// catalog's database/sql queries on that same connection, so the catalog
// and River (which takes a pgx.Tx) share one transaction.
func beginPgx(ctx context.Context, db *sql.DB) (*Tx, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var ptx pgx.Tx
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("sqlstore: postgres connection is %T, not pgx", dc)
		}
		ptx, err = c.Conn().Begin(ctx)
		return err
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	end := func(f func(context.Context) error) func(context.Context) error {
		return func(ctx context.Context) error {
			defer conn.Close()
			return f(ctx)
		}
	}
	return &Tx{
		queries:  queries{db: conn},
		pgxTx:    ptx,
		commit:   end(ptx.Commit),
		rollback: end(ptx.Rollback),
	}, nil
}
