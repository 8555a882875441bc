// Package sqlstore is the archive.Catalog over database/sql: one
// implementation, with a small Dialect value for what differs between
// database engines (today: SQLite for the embedded default).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/jackc/pgx/v5"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/migrations"
)

var (
	_ archive.Catalog   = (*Store)(nil)
	_ archive.CatalogTx = (*Tx)(nil)
)

// Dialect holds what differs between database engines.
type Dialect struct {
	// Name selects the migration folder.
	Name migrations.Dialect
	// Placeholder returns the bind marker for the n-th argument (1-based).
	Placeholder func(n int) string
	// LockRow is appended to a read of a record inside a transaction, so
	// two transactions cannot both act on one state ("FOR UPDATE"); empty
	// where write transactions are already serial (SQLite).
	LockRow string
	// LockAudit, run first in a transaction appending to the audit log,
	// serialises appends so the hash chain never forks; empty where write
	// transactions are already serial (SQLite).
	LockAudit string
	// begin starts a transaction.
	begin func(ctx context.Context, db *sql.DB) (*Tx, error)
}

// SQLiteDialect is the dialect of modernc.org/sqlite.
var SQLiteDialect = Dialect{Name: migrations.SQLite, Placeholder: func(int) string { return "?" }, begin: beginSQL}

// Config configures a Store.
type Config struct {
	// DB is an open database. Required.
	DB *sql.DB
	// Dialect of DB. Required.
	Dialect Dialect
	// Now returns the current time; default time.Now.
	Now func() time.Time
}

// Store is a Catalog in a SQL database.
type Store struct {
	db *sql.DB
	q  queries
}

// New returns a Store over cfg.DB. It does not migrate: call
// migrations.Up first.
func New(cfg Config) (*Store, error) {
	if cfg.DB == nil {
		return nil, fmt.Errorf("sqlstore: Config.DB is nil: %w", archive.ErrInvalid)
	}
	if cfg.Dialect.Placeholder == nil {
		return nil, fmt.Errorf("sqlstore: Config.Dialect is not set: %w", archive.ErrInvalid)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Store{db: cfg.DB, q: queries{db: cfg.DB, d: cfg.Dialect, now: cfg.Now}}, nil
}

// OpenSQLite opens (creating when missing) the SQLite database at path with
// the settings River needs: WAL, a busy timeout, immediate transactions and
// a single connection.
func OpenSQLite(path string) (*sql.DB, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	return db, nil
}

// DB returns the underlying database.
func (s *Store) DB() *sql.DB { return s.db }

// Update implements archive.Catalog.
func (s *Store) Update(ctx context.Context, fn func(archive.CatalogTx) error) error {
	tx, err := s.q.d.begin(ctx, s.db)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", classifyFull(err))
	}
	tx.queries.d, tx.queries.now, tx.queries.inTx = s.q.d, s.q.now, true
	if err := fn(tx); err != nil {
		tx.rollback(context.WithoutCancel(ctx))
		return classifyFull(err)
	}
	if err := tx.commit(ctx); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", classifyFull(err))
	}
	return nil
}

// Record implements archive.CatalogReader.
func (s *Store) Record(ctx context.Context, id string) (*archive.Record, error) {
	return s.q.Record(ctx, id)
}

// Batch implements archive.CatalogReader.
func (s *Store) Batch(ctx context.Context, id string) (*archive.BatchSummary, error) {
	return s.q.Batch(ctx, id)
}

// BatchRecords implements archive.CatalogReader.
func (s *Store) BatchRecords(ctx context.Context, batchID string) ([]archive.Record, error) {
	return s.q.BatchRecords(ctx, batchID)
}

// Batches implements archive.CatalogReader.
func (s *Store) Batches(ctx context.Context, q archive.BatchQuery) ([]archive.BatchSummary, error) {
	return s.q.Batches(ctx, q)
}

// RecordsByResult implements archive.CatalogReader.
func (s *Store) RecordsByResult(ctx context.Context, ref archive.Ref) ([]archive.Record, error) {
	return s.q.RecordsByResult(ctx, ref)
}

// Records implements archive.CatalogReader.
func (s *Store) Records(ctx context.Context, fn func(*archive.Record) error) error {
	return s.q.Records(ctx, fn)
}

// UserByToken implements archive.CatalogReader.
func (s *Store) UserByToken(ctx context.Context, h archive.Ref) (*archive.User, error) {
	return s.q.UserByToken(ctx, h)
}

// RecordsToReview implements archive.CatalogReader.
func (s *Store) RecordsToReview(ctx context.Context, agencies []string, limit int) ([]archive.Record, error) {
	return s.q.RecordsToReview(ctx, agencies, limit)
}

// Corrections implements archive.CatalogReader.
func (s *Store) Corrections(ctx context.Context, recordID string) ([]archive.Correction, error) {
	return s.q.Corrections(ctx, recordID)
}

// RecordsByHolder implements archive.CatalogReader.
func (s *Store) RecordsByHolder(ctx context.Context, holderID string) ([]archive.Record, error) {
	return s.q.RecordsByHolder(ctx, holderID)
}

// RecordsByID implements archive.CatalogReader.
func (s *Store) RecordsByID(ctx context.Context, ids []string) ([]archive.Record, error) {
	return s.q.RecordsByID(ctx, ids)
}

// Share implements archive.CatalogReader.
func (s *Store) Share(ctx context.Context, id string) (*archive.Share, error) {
	return s.q.Share(ctx, id)
}

// Shares implements archive.CatalogReader.
func (s *Store) Shares(ctx context.Context, holderID string) ([]archive.Share, error) {
	return s.q.Shares(ctx, holderID)
}

// SharedWith implements archive.CatalogReader.
func (s *Store) SharedWith(ctx context.Context, agency string, now time.Time) ([]string, error) {
	return s.q.SharedWith(ctx, agency, now)
}

// CopyByCode implements archive.CatalogReader.
func (s *Store) CopyByCode(ctx context.Context, code string) (*archive.Copy, error) {
	return s.q.CopyByCode(ctx, code)
}

// Copies implements archive.CatalogReader.
func (s *Store) Copies(ctx context.Context, recordID string) ([]archive.Copy, error) {
	return s.q.Copies(ctx, recordID)
}

// CopiesByResult implements archive.CatalogReader.
func (s *Store) CopiesByResult(ctx context.Context, ref archive.Ref) ([]archive.Copy, error) {
	return s.q.CopiesByResult(ctx, ref)
}

// AllCopies implements archive.CatalogReader.
func (s *Store) AllCopies(ctx context.Context, fn func(*archive.Copy) error) error {
	return s.q.AllCopies(ctx, fn)
}

// Copy implements archive.CatalogReader.
func (s *Store) Copy(ctx context.Context, id string) (*archive.Copy, error) {
	return s.q.Copy(ctx, id)
}

// RecordsToRenew implements archive.CatalogReader.
func (s *Store) RecordsToRenew(ctx context.Context, before time.Time, after archive.RenewalKey, limit int) ([]archive.RenewalKey, error) {
	return s.q.RecordsToRenew(ctx, before, after, limit)
}

// CopiesToRenew implements archive.CatalogReader.
func (s *Store) CopiesToRenew(ctx context.Context, before time.Time, after archive.RenewalKey, limit int) ([]archive.RenewalKey, error) {
	return s.q.CopiesToRenew(ctx, before, after, limit)
}

// AuditEvents implements archive.CatalogReader.
func (s *Store) AuditEvents(ctx context.Context, after int64, fn func(*archive.AuditEvent) error) error {
	return s.q.AuditEvents(ctx, after, fn)
}

// AuditCheckpoints implements archive.CatalogReader.
func (s *Store) AuditCheckpoints(ctx context.Context) ([]archive.AuditCheckpoint, error) {
	return s.q.AuditCheckpoints(ctx)
}

// LastCheckpoint implements archive.CatalogReader.
func (s *Store) LastCheckpoint(ctx context.Context) (*archive.AuditCheckpoint, error) {
	return s.q.LastCheckpoint(ctx)
}

// Tx is a catalog transaction. It offers the driver's own transaction so
// that River, on the same database, can enqueue inside it: SQLTx on SQLite,
// PgxTx on PostgreSQL.
type Tx struct {
	queries
	sqlTx    *sql.Tx
	pgxTx    pgx.Tx
	commit   func(context.Context) error
	rollback func(context.Context) error
}

// SQLTx returns the database/sql transaction, nil on PostgreSQL.
func (t *Tx) SQLTx() *sql.Tx { return t.sqlTx }

// PgxTx returns the pgx transaction, nil on SQLite.
func (t *Tx) PgxTx() pgx.Tx { return t.pgxTx }

// beginSQL starts a database/sql transaction.
func beginSQL(ctx context.Context, db *sql.DB) (*Tx, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Tx{
		queries:  queries{db: tx},
		sqlTx:    tx,
		commit:   func(context.Context) error { return tx.Commit() },
		rollback: func(context.Context) error { return tx.Rollback() },
	}, nil
}

// queryer is what *sql.DB and *sql.Tx share.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries runs the catalog's SQL on a database or a transaction.
type queries struct {
	db   queryer
	d    Dialect
	now  func() time.Time
	inTx bool
}

// bind rewrites each "?" of query into the dialect's placeholder.
func (q queries) bind(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString(q.d.Placeholder(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (q queries) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.db.ExecContext(ctx, q.bind(query), args...)
}

func (q queries) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.db.QueryContext(ctx, q.bind(query), args...)
}

func (q queries) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return q.db.QueryRowContext(ctx, q.bind(query), args...)
}

// notFound classifies sql.ErrNoRows.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return archive.ErrNotFound
	}
	return err
}

// timeLayout is fixed-width so stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// nullTime is formatTime for a column where NULL means not known: a zero
// t is NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlstore: stored time %q: %w", s, err)
	}
	return t, nil
}
