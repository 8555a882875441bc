package archivetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// DefaultPostgresURL is the server tests use unless KHOSO_TEST_POSTGRES_URL
// names another: the local PostgreSQL with trust authentication.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// PostgresURL creates an empty database for one test on the test server
// and returns its URL; the database is dropped when the test ends. A
// server that does not answer fails the test: it never skips.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv("KHOSO_TEST_POSTGRES_URL")
	if admin == "" {
		admin = DefaultPostgresURL
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatalf("archivetest: postgres: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		tb.Fatalf("archivetest: PostgreSQL at %s does not answer (%v); start it: "+
			"pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", admin, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "khoso_test_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("archivetest: create database: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("archivetest: KHOSO_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
