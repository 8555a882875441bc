package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

const shareColumns = `id, record_id, holder_id, agency, dossier_code, until, created_at, revoked_at`

func scanShare(s scanner) (*archive.Share, error) {
	var sh archive.Share
	var until, created, revoked string
	if err := s.Scan(&sh.ID, &sh.RecordID, &sh.HolderID, &sh.Agency, &sh.DossierCode, &until, &created, &revoked); err != nil {
		return nil, err
	}
	var err error
	for _, f := range []struct {
		text string
		dst  *time.Time
	}{{until, &sh.Until}, {created, &sh.CreatedAt}, {revoked, &sh.RevokedAt}} {
		if *f.dst, err = parseTime(f.text); err != nil {
			return nil, err
		}
	}
	return &sh, nil
}

// PutShare implements archive.CatalogWriter.
func (q queries) PutShare(ctx context.Context, s *archive.Share) error {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = q.now()
	}
	res, err := q.exec(ctx, `UPDATE shares SET until = ?, revoked_at = ? WHERE id = ?`,
		formatTime(s.Until), formatTime(s.RevokedAt), s.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: put share %s: %w", s.ID, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = q.exec(ctx, `INSERT INTO shares (`+shareColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.RecordID, s.HolderID, s.Agency, s.DossierCode, formatTime(s.Until), formatTime(s.CreatedAt),
		formatTime(s.RevokedAt))
	if err != nil {
		return fmt.Errorf("sqlstore: put share %s: %w", s.ID, err)
	}
	return nil
}

// Share implements archive.CatalogReader.
func (q queries) Share(ctx context.Context, id string) (*archive.Share, error) {
	s, err := scanShare(q.queryRow(ctx, `SELECT `+shareColumns+` FROM shares WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: share %s: %w", id, notFound(err))
	}
	return s, nil
}

// Shares implements archive.CatalogReader.
func (q queries) Shares(ctx context.Context, holderID string) ([]archive.Share, error) {
	rows, err := q.query(ctx, `SELECT `+shareColumns+` FROM shares WHERE holder_id = ? ORDER BY created_at DESC, id`, holderID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: shares of %s: %w", holderID, err)
	}
	defer rows.Close()
	var out []archive.Share
	for rows.Next() {
		s, err := scanShare(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: shares of %s: %w", holderID, err)
		}
		out = append(out, *s)
	}
	return out, rows.Err()
}

// SharedWith implements archive.CatalogReader.
func (q queries) SharedWith(ctx context.Context, agency string, now time.Time) ([]string, error) {
	rows, err := q.query(ctx, `SELECT DISTINCT record_id FROM shares
		WHERE agency = ? AND revoked_at = '' AND until > ? ORDER BY record_id`, agency, formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: shared with %s: %w", agency, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlstore: shared with %s: %w", agency, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
