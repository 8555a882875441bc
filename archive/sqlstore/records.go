package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

const recordColumns = `id, batch_id, agency, row, status, reason, doc_type_code, doc_name, number, issued_on,
	issuer, holder_id, holder_name, summary, valid_until, validity_scope, procedure_code, dossier_code,
	unsigned_ref, result_ref, result_version, size, created_at, updated_at, scanned_by, scanned_at, scanned_at_from, reason_field,
	trusted_until, result_type_code, result_code`

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface{ Scan(dest ...any) error }

func scanRecord(s scanner) (*archive.Record, error) {
	var r archive.Record
	var issued, until, created, updated, scanned string
	var trusted sql.NullString
	m := &r.Meta
	err := s.Scan(&r.ID, &r.BatchID, &r.Agency, &r.Row, &r.Status, &r.Reason, &m.DocTypeCode, &m.DocName, &m.Number,
		&issued, &m.Issuer, &m.HolderID, &m.HolderName, &m.Summary, &until, &m.ValidityScope,
		&m.ProcedureCode, &m.DossierCode, &r.Unsigned, &r.Result, &r.ResultVersion, &r.Size, &created, &updated,
		&m.ScannedBy, &scanned, &m.ScannedAtFrom, &r.ReasonField, &trusted,
		&m.ResultTypeCode, &r.ResultCode)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		text string
		dst  *time.Time
	}{{issued, &m.IssuedOn}, {until, &m.ValidUntil}, {created, &r.CreatedAt}, {updated, &r.UpdatedAt}, {scanned, &m.ScannedAt}, {trusted.String, &r.ResultTrustedUntil}} {
		if *f.dst, err = parseTime(f.text); err != nil {
			return nil, err
		}
	}
	return &r, nil
}

// Record implements archive.CatalogReader.
func (q queries) Record(ctx context.Context, id string) (*archive.Record, error) {
	query := `SELECT ` + recordColumns + ` FROM records WHERE id = ?`
	if q.inTx {
		query += " " + q.d.LockRow
	}
	r, err := scanRecord(q.queryRow(ctx, query, id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: record %s: %w", id, notFound(err))
	}
	if r.Pages, err = q.pages(ctx, id); err != nil {
		return nil, err
	}
	return r, nil
}

func (q queries) pages(ctx context.Context, id string) ([]archive.Page, error) {
	rows, err := q.query(ctx, `SELECT n, name, original_ref, normalised_ref, format, width, height, dpi, dpi_y,
		black_is1, notes, thumb_ref, preview_ref FROM pages WHERE record_id = ? ORDER BY n`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: pages of %s: %w", id, err)
	}
	defer rows.Close()
	var ps []archive.Page
	for rows.Next() {
		var p archive.Page
		if err := rows.Scan(&p.N, &p.Name, &p.Original, &p.Normalised, &p.Format, &p.Width, &p.Height, &p.DPI, &p.DPIY,
			&p.BlackIs1, &p.Notes, &p.Thumb, &p.Preview); err != nil {
			return nil, fmt.Errorf("sqlstore: pages of %s: %w", id, err)
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: pages of %s: %w", id, err)
	}
	return ps, nil
}

// listRecords runs a SELECT of recordColumns and returns the records
// without pages.
func (q queries) listRecords(ctx context.Context, where string, args ...any) ([]archive.Record, error) {
	var out []archive.Record
	err := q.eachRecord(ctx, where, args, func(r *archive.Record) error {
		out = append(out, *r)
		return nil
	})
	return out, err
}

func (q queries) eachRecord(ctx context.Context, where string, args []any, fn func(*archive.Record) error) error {
	rows, err := q.query(ctx, `SELECT `+recordColumns+` FROM records `+where, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: list records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return fmt.Errorf("sqlstore: list records: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlstore: list records: %w", err)
	}
	return nil
}

// RecordsByHolder implements archive.CatalogReader.
func (q queries) RecordsByHolder(ctx context.Context, holderID string) ([]archive.Record, error) {
	return q.listRecords(ctx, `WHERE holder_id = ? ORDER BY id`, holderID)
}

// maxIDsPerQuery bounds the IDs one RecordsByID query names, well under
// SQLite's and PostgreSQL's limits on parameters.
const maxIDsPerQuery = 500

// RecordsByID implements archive.CatalogReader: two queries (records, then
// their pages) per maxIDsPerQuery IDs.
func (q queries) RecordsByID(ctx context.Context, ids []string) ([]archive.Record, error) {
	byID := make(map[string]*archive.Record, len(ids))
	seen := make(map[string]bool, len(ids))
	var uniq []string // each ID once, so no record's pages are added twice
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	for chunk := range slices.Chunk(uniq, maxIDsPerQuery) {
		in, args := inList(chunk)
		err := q.eachRecord(ctx, `WHERE id IN (`+in+`)`, args, func(r *archive.Record) error {
			byID[r.ID] = r
			return nil
		})
		if err != nil {
			return nil, err
		}
		if err := q.pagesOf(ctx, in, args, byID); err != nil {
			return nil, err
		}
	}
	out := make([]archive.Record, 0, len(byID))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, *r)
		}
	}
	return out, nil
}

// pagesOf adds to the records of byID their pages whose record IDs are the
// list in with args.
func (q queries) pagesOf(ctx context.Context, in string, args []any, byID map[string]*archive.Record) error {
	rows, err := q.query(ctx, `SELECT record_id, n, name, original_ref, normalised_ref, format, width, height, dpi, dpi_y,
		black_is1, notes, thumb_ref, preview_ref FROM pages WHERE record_id IN (`+in+`) ORDER BY record_id, n`, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: pages of %d records: %w", len(args), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var p archive.Page
		if err := rows.Scan(&id, &p.N, &p.Name, &p.Original, &p.Normalised, &p.Format, &p.Width, &p.Height, &p.DPI, &p.DPIY,
			&p.BlackIs1, &p.Notes, &p.Thumb, &p.Preview); err != nil {
			return fmt.Errorf("sqlstore: pages of %d records: %w", len(args), err)
		}
		if r, ok := byID[id]; ok {
			r.Pages = append(r.Pages, p)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlstore: pages of %d records: %w", len(args), err)
	}
	return nil
}

// inList returns "?, ?, …" for ids and ids as arguments.
func inList(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "), args
}

// RecordsToReview implements archive.CatalogReader.
func (q queries) RecordsToReview(ctx context.Context, agencies []string, limit int) ([]archive.Record, error) {
	if limit <= 0 {
		return nil, nil
	}
	where := `WHERE status IN (?, ?)`
	args := []any{string(archive.StatusFailed), string(archive.StatusNeedsMetadata)}
	if agencies != nil {
		if len(agencies) == 0 {
			return nil, nil
		}
		where += ` AND agency IN (?` + strings.Repeat(", ?", len(agencies)-1) + `)`
		for _, a := range agencies {
			args = append(args, a)
		}
	}
	return q.listRecords(ctx, where+` ORDER BY created_at DESC, id DESC LIMIT ?`, append(args, limit)...)
}

// BatchRecords implements archive.CatalogReader.
func (q queries) BatchRecords(ctx context.Context, batchID string) ([]archive.Record, error) {
	return q.listRecords(ctx, `WHERE batch_id = ? ORDER BY row, id`, batchID)
}

// RecordsByResult implements archive.CatalogReader.
func (q queries) RecordsByResult(ctx context.Context, ref archive.Ref) ([]archive.Record, error) {
	return q.listRecords(ctx, `WHERE result_ref = ? OR id IN (SELECT record_id FROM result_history WHERE ref = ?) ORDER BY id`,
		string(ref), string(ref))
}

// Records implements archive.CatalogReader. It reads in pages of IDs so that
// fn may take its time without holding a long-running query open.
func (q queries) Records(ctx context.Context, fn func(*archive.Record) error) error {
	after := ""
	for {
		page, err := q.listRecords(ctx, `WHERE id > ? ORDER BY id LIMIT 500`, after)
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

// CreateRecord implements archive.CatalogWriter.
func (q queries) CreateRecord(ctx context.Context, r *archive.Record) error {
	now := q.now()
	r.CreatedAt, r.UpdatedAt = now, now
	if r.ResultCode == "" {
		code, err := q.nextResultCode(ctx, r, now)
		if err != nil {
			return err
		}
		r.ResultCode = code
	}
	m := r.Meta
	_, err := q.exec(ctx, `INSERT INTO records (`+recordColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.BatchID, r.Agency, r.Row, string(r.Status), r.Reason, m.DocTypeCode, m.DocName, m.Number,
		formatTime(m.IssuedOn), m.Issuer, m.HolderID, m.HolderName, m.Summary, formatTime(m.ValidUntil),
		m.ValidityScope, m.ProcedureCode, m.DossierCode, string(r.Unsigned), string(r.Result), r.ResultVersion, r.Size,
		formatTime(now), formatTime(now), m.ScannedBy, formatTime(m.ScannedAt), m.ScannedAtFrom, r.ReasonField, nullTime(r.ResultTrustedUntil),
		m.ResultTypeCode, r.ResultCode)
	if err != nil {
		return fmt.Errorf("sqlstore: create record %s: %w", r.ID, err)
	}
	return q.putPages(ctx, r)
}

// nextResultCode takes the next number of r's result code counter. The
// upsert locks the counter's row until the transaction ends (PostgreSQL;
// SQLite has one writer), so concurrent intakes into one dossier wait for
// each other, and a rolled back intake gives its numbers back: the codes of
// a scope are unique and without gaps.
func (q queries) nextResultCode(ctx context.Context, r *archive.Record, now time.Time) (string, error) {
	scope, code := archive.ResultCodeScope(r, now)
	var n int64
	err := q.queryRow(ctx, `INSERT INTO result_code_counters (scope, last_n) VALUES (?, 1)
		ON CONFLICT (scope) DO UPDATE SET last_n = result_code_counters.last_n + 1 RETURNING last_n`, scope).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("sqlstore: result code of %s: %w", r.ID, err)
	}
	return code(n), nil
}

// UpdateRecord implements archive.CatalogWriter.
func (q queries) UpdateRecord(ctx context.Context, r *archive.Record) error {
	r.UpdatedAt = q.now()
	m := r.Meta
	res, err := q.exec(ctx, `UPDATE records SET status = ?, reason = ?, doc_type_code = ?, doc_name = ?,
		number = ?, issued_on = ?, issuer = ?, holder_id = ?, holder_name = ?, summary = ?, valid_until = ?,
		validity_scope = ?, procedure_code = ?, dossier_code = ?, unsigned_ref = ?, result_ref = ?,
		result_version = ?, size = ?, updated_at = ?, scanned_by = ?, scanned_at = ?, scanned_at_from = ?, reason_field = ?,
		trusted_until = ?, result_type_code = ? WHERE id = ?`,
		string(r.Status), r.Reason, m.DocTypeCode, m.DocName, m.Number, formatTime(m.IssuedOn), m.Issuer,
		m.HolderID, m.HolderName, m.Summary, formatTime(m.ValidUntil), m.ValidityScope, m.ProcedureCode,
		m.DossierCode, string(r.Unsigned), string(r.Result), r.ResultVersion, r.Size, formatTime(r.UpdatedAt),
		m.ScannedBy, formatTime(m.ScannedAt), m.ScannedAtFrom, r.ReasonField, nullTime(r.ResultTrustedUntil),
		m.ResultTypeCode, r.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: update record %s: %w", r.ID, err)
	}
	if err := mustAffect(res, "record "+r.ID); err != nil {
		return err
	}
	if _, err := q.exec(ctx, `DELETE FROM pages WHERE record_id = ?`, r.ID); err != nil {
		return fmt.Errorf("sqlstore: update record %s: %w", r.ID, err)
	}
	return q.putPages(ctx, r)
}

func (q queries) putPages(ctx context.Context, r *archive.Record) error {
	for _, p := range r.Pages {
		_, err := q.exec(ctx, `INSERT INTO pages (record_id, n, name, original_ref, normalised_ref, format,
			width, height, dpi, dpi_y, black_is1, notes, thumb_ref, preview_ref)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, p.N, p.Name, string(p.Original), string(p.Normalised), p.Format, p.Width, p.Height, p.DPI, p.DPIY,
			p.BlackIs1, p.Notes, string(p.Thumb), string(p.Preview))
		if err != nil {
			return fmt.Errorf("sqlstore: record %s page %d: %w", r.ID, p.N, err)
		}
	}
	return nil
}

func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlstore: %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: %s: %w", what, archive.ErrNotFound)
	}
	return nil
}

// ReplaceResult implements archive.CatalogWriter.
func (q queries) ReplaceResult(ctx context.Context, r *archive.Record, old archive.Ref, oldVersion, reason string) error {
	_, err := q.exec(ctx, `INSERT INTO result_history (record_id, ref, version, replaced_at, reason) VALUES (?, ?, ?, ?, ?)`,
		r.ID, string(old), oldVersion, formatTime(q.now()), reason)
	if err != nil {
		return fmt.Errorf("sqlstore: result history of %s: %w", r.ID, err)
	}
	return q.UpdateRecord(ctx, r)
}
