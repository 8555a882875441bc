package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/khoso-vn/khoso/archive"
)

// CreateBatch implements archive.CatalogWriter.
func (q queries) CreateBatch(ctx context.Context, b *archive.Batch) error {
	if b.CreatedAt.IsZero() {
		b.CreatedAt = q.now()
	}
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM batches WHERE id = ?`, b.ID).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: create batch %s: %w", b.ID, err)
	}
	if n > 0 {
		return fmt.Errorf("sqlstore: create batch %s: %w", b.ID, archive.ErrConflict)
	}
	_, err := q.exec(ctx, `INSERT INTO batches (id, agency, created_by, created_at) VALUES (?, ?, ?, ?)`,
		b.ID, b.Agency, b.CreatedBy, formatTime(b.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlstore: create batch %s: %w", b.ID, err)
	}
	return nil
}

// Batch implements archive.CatalogReader.
func (q queries) Batch(ctx context.Context, id string) (*archive.BatchSummary, error) {
	var s archive.BatchSummary
	var created string
	err := q.queryRow(ctx, `SELECT id, agency, created_by, created_at FROM batches WHERE id = ?`, id).
		Scan(&s.ID, &s.Agency, &s.CreatedBy, &created)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: batch %s: %w", id, notFound(err))
	}
	if s.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	rows, err := q.query(ctx, `SELECT status, COUNT(*) FROM records WHERE batch_id = ? GROUP BY status`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: batch %s: %w", id, err)
	}
	defer rows.Close()
	s.Counts = map[archive.Status]int{}
	for rows.Next() {
		var st archive.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("sqlstore: batch %s: %w", id, err)
		}
		s.Counts[st] = n
		s.Total += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: batch %s: %w", id, err)
	}
	return &s, nil
}

// defaultBatchLimit is BatchQuery.Limit when none is set.
const defaultBatchLimit = 50

// Batches implements archive.CatalogReader.
func (q queries) Batches(ctx context.Context, bq archive.BatchQuery) ([]archive.BatchSummary, error) {
	var where []string
	var args []any
	if len(bq.Agencies) > 0 {
		where = append(where, "agency IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(bq.Agencies)), ", ")+")")
		for _, a := range bq.Agencies {
			args = append(args, a)
		}
	}
	if bq.Before != "" {
		where = append(where, "id < ?")
		args = append(args, bq.Before)
	}
	limit := bq.Limit
	if limit <= 0 {
		limit = defaultBatchLimit
	}
	query := `SELECT id, agency, created_by, created_at FROM batches`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT " + strconv.Itoa(limit)
	out, err := q.scanBatches(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: batches: %w", err)
	}
	if err := q.countBatches(ctx, out); err != nil {
		return nil, fmt.Errorf("sqlstore: batches: %w", err)
	}
	return out, nil
}

func (q queries) scanBatches(ctx context.Context, query string, args []any) ([]archive.BatchSummary, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []archive.BatchSummary{}
	for rows.Next() {
		var s archive.BatchSummary
		var created string
		if err := rows.Scan(&s.ID, &s.Agency, &s.CreatedBy, &created); err != nil {
			return nil, err
		}
		if s.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		s.Counts = map[archive.Status]int{}
		out = append(out, s)
	}
	return out, rows.Err()
}

// countBatches fills in the per-status counts of bs, in one query.
func (q queries) countBatches(ctx context.Context, bs []archive.BatchSummary) error {
	if len(bs) == 0 {
		return nil
	}
	index := map[string]*archive.BatchSummary{}
	args := make([]any, 0, len(bs))
	for i := range bs {
		index[bs[i].ID] = &bs[i]
		args = append(args, bs[i].ID)
	}
	rows, err := q.query(ctx, `SELECT batch_id, status, COUNT(*) FROM records WHERE batch_id IN (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(bs)), ", ")+`) GROUP BY batch_id, status`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var st archive.Status
		var n int
		if err := rows.Scan(&id, &st, &n); err != nil {
			return err
		}
		if s := index[id]; s != nil {
			s.Counts[st] = n
			s.Total += n
		}
	}
	return rows.Err()
}
