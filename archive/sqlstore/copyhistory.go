package sqlstore

import (
	"context"
	"fmt"

	"github.com/khoso-vn/khoso/archive"
)

// ReplaceCopyResult implements archive.CatalogWriter.
func (q queries) ReplaceCopyResult(ctx context.Context, c *archive.Copy, old archive.Ref, oldVersion, reason string) error {
	res, err := q.exec(ctx, `UPDATE copies SET result_ref = ?, result_version = ?, size = ?, trusted_until = ? WHERE id = ?`,
		string(c.Result), c.Version, c.Size, nullTime(c.TrustedUntil), c.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: replace result of copy %s: %w", c.ID, err)
	}
	if err := mustAffect(res, "copy "+c.ID); err != nil {
		return err
	}
	_, err = q.exec(ctx, `INSERT INTO copy_history (copy_id, ref, version, replaced_at, reason) VALUES (?, ?, ?, ?, ?)`,
		c.ID, string(old), oldVersion, formatTime(q.now()), reason)
	if err != nil {
		return fmt.Errorf("sqlstore: history of copy %s: %w", c.ID, err)
	}
	c.Earlier = append(c.Earlier, old)
	return nil
}

// earlier fills in each copy's earlier results. It runs after the copies'
// query is closed: SQLite has one connection.
func (q queries) earlier(ctx context.Context, cps ...*archive.Copy) error {
	for _, c := range cps {
		rows, err := q.query(ctx, `SELECT ref FROM copy_history WHERE copy_id = ? ORDER BY replaced_at, ref`, c.ID)
		if err != nil {
			return fmt.Errorf("sqlstore: history of copy %s: %w", c.ID, err)
		}
		c.Earlier = nil
		for rows.Next() {
			var ref string
			if err := rows.Scan(&ref); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: history of copy %s: %w", c.ID, err)
			}
			c.Earlier = append(c.Earlier, archive.Ref(ref))
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("sqlstore: history of copy %s: %w", c.ID, err)
		}
	}
	return nil
}

// AllCopies implements archive.CatalogReader. It reads in pages of IDs so
// that fn may take its time without holding a query open.
func (q queries) AllCopies(ctx context.Context, fn func(*archive.Copy) error) error {
	after := ""
	for {
		page, err := q.listCopies(ctx, `WHERE id > ? ORDER BY id LIMIT 500`, after)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		after = page[len(page)-1].ID
	}
}

// listCopies returns the copies a WHERE … clause selects.
func (q queries) listCopies(ctx context.Context, where string, args ...any) ([]archive.Copy, error) {
	rows, err := q.query(ctx, `SELECT `+copyColumns+` FROM copies `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: copies: %w", err)
	}
	defer rows.Close()
	var out []archive.Copy
	for rows.Next() {
		c, err := scanCopy(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: copies: %w", err)
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}
