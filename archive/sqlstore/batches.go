package sqlstore

import (
	"context"
	"fmt"

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
