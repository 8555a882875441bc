package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// Copy implements archive.CatalogReader.
func (q queries) Copy(ctx context.Context, id string) (*archive.Copy, error) {
	c, err := scanCopy(q.queryRow(ctx, `SELECT `+copyColumns+` FROM copies WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: copy %s: %w", id, notFound(err))
	}
	if err := q.earlier(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// RecordsToRenew implements archive.CatalogReader. The index on (status,
// trusted_until, id) answers both of its queries.
func (q queries) RecordsToRenew(ctx context.Context, before time.Time, after archive.RenewalKey, limit int) ([]archive.RenewalKey, error) {
	keys, err := q.toRenew(ctx, "records", "status = 'available' AND ", before, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: records to renew: %w", err)
	}
	return keys, nil
}

// CopiesToRenew implements archive.CatalogReader.
func (q queries) CopiesToRenew(ctx context.Context, before time.Time, after archive.RenewalKey, limit int) ([]archive.RenewalKey, error) {
	keys, err := q.toRenew(ctx, "copies", "", before, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: copies to renew: %w", err)
	}
	return keys, nil
}

// toRenew reads one page of table's rows in renewal order: those not known
// (trusted_until NULL) by id, then those trusted until before or earlier
// by (trusted_until, id). where, when set, ends with "AND ".
func (q queries) toRenew(ctx context.Context, table, where string, before time.Time, after archive.RenewalKey, limit int) ([]archive.RenewalKey, error) {
	if limit < 1 {
		return nil, fmt.Errorf("limit %d: %w", limit, archive.ErrInvalid)
	}
	var out []archive.RenewalKey
	if after.TrustedUntil.IsZero() {
		var err error
		out, err = q.renewalKeys(ctx, `SELECT id, '' FROM `+table+` WHERE `+where+
			`trusted_until IS NULL AND id > ? ORDER BY id LIMIT ?`, after.ID, limit)
		if err != nil || len(out) == limit {
			return out, err
		}
		after = archive.RenewalKey{} // the known ones, from the start
	}
	known, err := q.renewalKeys(ctx, `SELECT id, trusted_until FROM `+table+` WHERE `+where+
		`trusted_until <= ? AND (trusted_until, id) > (?, ?) ORDER BY trusted_until, id LIMIT ?`,
		formatTime(before), formatTime(after.TrustedUntil), after.ID, limit-len(out))
	return append(out, known...), err
}

func (q queries) renewalKeys(ctx context.Context, query string, args ...any) ([]archive.RenewalKey, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []archive.RenewalKey
	for rows.Next() {
		var k archive.RenewalKey
		var until string
		if err := rows.Scan(&k.ID, &until); err != nil {
			return nil, err
		}
		if k.TrustedUntil, err = parseTime(until); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// SetResultTrustedUntil implements archive.CatalogWriter.
func (q queries) SetResultTrustedUntil(ctx context.Context, id string, result archive.Ref, until time.Time) error {
	return q.setTrustedUntil(ctx, "records", "record", id, result, until)
}

// SetCopyTrustedUntil implements archive.CatalogWriter.
func (q queries) SetCopyTrustedUntil(ctx context.Context, id string, result archive.Ref, until time.Time) error {
	return q.setTrustedUntil(ctx, "copies", "copy", id, result, until)
}

func (q queries) setTrustedUntil(ctx context.Context, table, what, id string, result archive.Ref, until time.Time) error {
	res, err := q.exec(ctx, `UPDATE `+table+` SET trusted_until = ? WHERE id = ? AND result_ref = ?`,
		nullTime(until), id, string(result))
	if err != nil {
		return fmt.Errorf("sqlstore: trust of %s %s: %w", what, id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		if err != nil {
			return fmt.Errorf("sqlstore: trust of %s %s: %w", what, id, err)
		}
		return nil
	}
	var cur string
	if err := q.queryRow(ctx, `SELECT result_ref FROM `+table+` WHERE id = ?`, id).Scan(&cur); err != nil {
		return fmt.Errorf("sqlstore: trust of %s %s: %w", what, id, notFound(err))
	}
	return fmt.Errorf("sqlstore: trust of %s %s: its result is now %s, not %s: %w", what, id, cur, result, archive.ErrConflict)
}
