package searchbench

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/khoso-vn/khoso/search"
)

// pgSchema is what a team would build with PostgreSQL alone: the same
// fields, one generated tsvector over the same text fields after unaccent
// and with punctuation made space (so "123/GP-BTNMT" gives the words the
// khoso analyzer gives), and a GIN index. Indexes are made after the load.
const pgSchema = `
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE OR REPLACE FUNCTION khoso_fold(text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	AS $$ SELECT regexp_replace(public.unaccent('public.unaccent'::regdictionary, $1), '[^[:alnum:]]+', ' ', 'g') $$;
CREATE TABLE records (
	id text NOT NULL,
	doc_type_code text, doc_name text, number text, issued_on date, issuer text,
	holder_id text, holder_name text, summary text, valid_until date, validity_scope text,
	procedure_code text, agency text, cancelled boolean NOT NULL,
	tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', khoso_fold(
		coalesce(holder_name, '') || ' ' || coalesce(number, '') || ' ' || coalesce(doc_name, '') || ' ' ||
		coalesce(issuer, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(validity_scope, '')))) STORED
);`

const pgIndexes = `
SET maintenance_work_mem = '512MB';
ALTER TABLE records ADD PRIMARY KEY (id);
CREATE INDEX records_tsv ON records USING gin (tsv);
CREATE INDEX records_holder ON records (holder_id);
CREATE INDEX records_type_issued ON records (doc_type_code, issued_on);
ANALYZE records;`

var pgColumns = []string{"id", "doc_type_code", "doc_name", "number", "issued_on", "issuer", "holder_id",
	"holder_name", "summary", "valid_until", "validity_scope", "procedure_code", "agency", "cancelled"}

// pgStore is the PostgreSQL side of the comparison.
type pgStore struct{ pool *pgxpool.Pool }

// openPG connects to url with room for clients connections.
func openPG(ctx context.Context, url string, clients int) (*pgStore, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("searchbench: postgres: %w", err)
	}
	cfg.MaxConns = int32(max(clients, 2))
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("searchbench: postgres: %w", err)
	}
	return &pgStore{pool: pool}, nil
}

func (p *pgStore) close() { p.pool.Close() }

// load creates the table, copies g's records into it and indexes them.
func (p *pgStore) load(ctx context.Context, g Generator) error {
	if _, err := p.pool.Exec(ctx, pgSchema); err != nil {
		return fmt.Errorf("searchbench: postgres schema: %w", err)
	}
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == g.N {
			return nil, nil
		}
		d := g.Doc(i)
		i++
		return pgRow(d), nil
	})
	if _, err := p.pool.CopyFrom(ctx, pgx.Identifier{"records"}, pgColumns, src); err != nil {
		return fmt.Errorf("searchbench: postgres copy: %w", err)
	}
	if _, err := p.pool.Exec(ctx, pgIndexes); err != nil {
		return fmt.Errorf("searchbench: postgres indexes: %w", err)
	}
	return nil
}

func pgRow(d search.Doc) []any {
	m := d.Record.Meta
	var until any
	if !m.ValidUntil.IsZero() {
		until = m.ValidUntil
	}
	return []any{d.Record.ID, m.DocTypeCode, m.DocName, m.Number, m.IssuedOn, m.Issuer, m.HolderID,
		m.HolderName, m.Summary, until, m.ValidityScope, m.ProcedureCode, d.Agency,
		d.Cancelled || d.Record.Status == search.StatusCancelled}
}

// size returns the table's size on disk with its indexes and TOAST.
func (p *pgStore) size(ctx context.Context) (int64, error) {
	var n int64
	err := p.pool.QueryRow(ctx, `SELECT pg_total_relation_size('records')`).Scan(&n)
	return n, err
}

// search answers q as khoso does: every word of q.Text must match, the
// filters apply, hits come ranked (ts_rank, then ID) or by date, with the
// total count.
func (p *pgStore) search(ctx context.Context, q search.Query) ([]string, uint64, error) {
	sql, args := pgQuery(q)
	rows, err := p.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("searchbench: postgres search: %w", err)
	}
	defer rows.Close()
	var ids []string
	var total uint64
	for rows.Next() {
		var id string
		if err := rows.Scan(&id, &total); err != nil {
			return nil, 0, fmt.Errorf("searchbench: postgres search: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("searchbench: postgres search: %w", err)
	}
	return ids, total, nil
}

// pgQuery is the SQL of q and its arguments.
func pgQuery(q search.Query) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	from := "records"
	order := "id"
	if q.Text != "" {
		from = "records, plainto_tsquery('simple', khoso_fold(" + arg(q.Text) + ")) AS q"
		where = append(where, "tsv @@ q")
		order = "ts_rank(tsv, q) DESC, id"
	}
	for _, c := range []struct{ col, v string }{{"doc_type_code", q.DocType}, {"holder_id", q.HolderID}} {
		if c.v != "" {
			where = append(where, c.col+" = "+arg(c.v))
		}
	}
	if !q.IssuedFrom.IsZero() {
		where = append(where, "issued_on >= "+arg(q.IssuedFrom))
	}
	if !q.IssuedTo.IsZero() {
		where = append(where, "issued_on <= "+arg(q.IssuedTo))
	}
	switch q.Sort {
	case search.SortIssuedDesc:
		order = "issued_on DESC NULLS LAST, id"
	case search.SortIssuedAsc:
		order = "issued_on NULLS LAST, id"
	}
	sql := "SELECT id, count(*) OVER () FROM " + from
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	return sql + " ORDER BY " + order + fmt.Sprintf(" LIMIT %d", q.Limit), args
}
