package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/khoso-vn/khoso/archive"
)

const copyColumns = `id, record_id, form, pages, for_name, purpose, issued_by, issued_at, code, result_ref, result_version, size, trusted_until`

func scanCopy(s scanner) (*archive.Copy, error) {
	var c archive.Copy
	var pages, issued string
	var trusted sql.NullString
	if err := s.Scan(&c.ID, &c.RecordID, &c.Form, &pages, &c.For, &c.Purpose, &c.IssuedBy, &issued, &c.Code,
		&c.Result, &c.Version, &c.Size, &trusted); err != nil {
		return nil, err
	}
	for _, p := range strings.Fields(pages) {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: copy %s pages %q: %w", c.ID, pages, err)
		}
		c.Pages = append(c.Pages, n)
	}
	var err error
	if c.IssuedAt, err = parseTime(issued); err != nil {
		return nil, err
	}
	c.TrustedUntil, err = parseTime(trusted.String)
	return &c, err
}

// CreateCopy implements archive.CatalogWriter.
func (q queries) CreateCopy(ctx context.Context, c *archive.Copy) error {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM copies WHERE code = ?`, c.Code).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: create copy %s: %w", c.ID, err)
	}
	if n > 0 {
		return fmt.Errorf("sqlstore: create copy %s: code in use: %w", c.ID, archive.ErrConflict)
	}
	pages := make([]string, len(c.Pages))
	for i, p := range c.Pages {
		pages[i] = strconv.Itoa(p)
	}
	_, err := q.exec(ctx, `INSERT INTO copies (`+copyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.RecordID, c.Form, strings.Join(pages, " "), c.For, c.Purpose, c.IssuedBy, formatTime(c.IssuedAt),
		c.Code, string(c.Result), c.Version, c.Size, nullTime(c.TrustedUntil))
	if err != nil {
		return fmt.Errorf("sqlstore: create copy %s: %w", c.ID, err)
	}
	return nil
}

// CopyByCode implements archive.CatalogReader.
func (q queries) CopyByCode(ctx context.Context, code string) (*archive.Copy, error) {
	c, err := scanCopy(q.queryRow(ctx, `SELECT `+copyColumns+` FROM copies WHERE code = ?`, code))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: copy by code: %w", notFound(err))
	}
	if err := q.earlier(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Copies implements archive.CatalogReader.
func (q queries) Copies(ctx context.Context, recordID string) ([]archive.Copy, error) {
	out, err := q.listCopies(ctx, `WHERE record_id = ? ORDER BY issued_at, id`, recordID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: copies of %s: %w", recordID, err)
	}
	for i := range out {
		if err := q.earlier(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CopiesByResult implements archive.CatalogReader.
func (q queries) CopiesByResult(ctx context.Context, ref archive.Ref) ([]archive.Copy, error) {
	out, err := q.listCopies(ctx, `WHERE result_ref = ? OR id IN (SELECT copy_id FROM copy_history WHERE ref = ?) ORDER BY id`,
		string(ref), string(ref))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: copies by result: %w", err)
	}
	for i := range out {
		if err := q.earlier(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
