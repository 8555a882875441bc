package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/khoso-vn/khoso/archive"
)

// AppendAudit implements archive.CatalogWriter.
func (q queries) AppendAudit(ctx context.Context, e *archive.AuditEvent) error {
	if q.d.LockAudit != "" {
		if _, err := q.exec(ctx, q.d.LockAudit); err != nil {
			return fmt.Errorf("sqlstore: lock audit log: %w", err)
		}
	}
	var last sql.NullInt64
	var prev sql.NullString
	err := q.queryRow(ctx, `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlstore: audit tail: %w", err)
	}
	if e.Time.IsZero() {
		e.Time = q.now()
	}
	e.Time = e.Time.UTC()
	e.Seq, e.PrevHash = last.Int64+1, prev.String
	e.Hash = archive.AuditHash(e.PrevHash, e)
	_, err = q.exec(ctx, `INSERT INTO audit_events (seq, time, actor, role, action, object, outcome, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, formatTime(e.Time), e.Actor, string(e.Role), e.Action, e.Object,
		e.Outcome, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("sqlstore: append audit: %w", err)
	}
	return nil
}

// AuditEvents implements archive.CatalogReader, reading in pages.
func (q queries) AuditEvents(ctx context.Context, after int64, fn func(*archive.AuditEvent) error) error {
	for {
		page, err := q.auditPage(ctx, after)
		if err != nil || len(page) == 0 {
			return err
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		after = page[len(page)-1].Seq
	}
}

func (q queries) auditPage(ctx context.Context, after int64) ([]archive.AuditEvent, error) {
	rows, err := q.query(ctx, `SELECT seq, time, actor, role, action, object, outcome, detail, prev_hash, hash
		FROM audit_events WHERE seq > ? ORDER BY seq LIMIT 1000`, after)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: audit events: %w", err)
	}
	defer rows.Close()
	var out []archive.AuditEvent
	for rows.Next() {
		var e archive.AuditEvent
		var t string
		if err := rows.Scan(&e.Seq, &t, &e.Actor, &e.Role, &e.Action, &e.Object, &e.Outcome, &e.Detail,
			&e.PrevHash, &e.Hash); err != nil {
			return nil, fmt.Errorf("sqlstore: audit events: %w", err)
		}
		if e.Time, err = parseTime(t); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddCheckpoint implements archive.CatalogWriter.
func (q queries) AddCheckpoint(ctx context.Context, c *archive.AuditCheckpoint) error {
	_, err := q.exec(ctx, `INSERT INTO audit_checkpoints (seq, hash, time, signature, certificate) VALUES (?, ?, ?, ?, ?)`,
		c.Seq, c.Hash, formatTime(c.Time), base64.StdEncoding.EncodeToString(c.Signature),
		base64.StdEncoding.EncodeToString(c.Certificate))
	if err != nil {
		return fmt.Errorf("sqlstore: add checkpoint %d: %w", c.Seq, err)
	}
	return nil
}

// AuditCheckpoints implements archive.CatalogReader.
func (q queries) AuditCheckpoints(ctx context.Context) ([]archive.AuditCheckpoint, error) {
	rows, err := q.query(ctx, `SELECT seq, hash, time, signature, certificate FROM audit_checkpoints ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: checkpoints: %w", err)
	}
	defer rows.Close()
	var out []archive.AuditCheckpoint
	for rows.Next() {
		var c archive.AuditCheckpoint
		var t, sig, cert string
		if err := rows.Scan(&c.Seq, &c.Hash, &t, &sig, &cert); err != nil {
			return nil, fmt.Errorf("sqlstore: checkpoints: %w", err)
		}
		if c.Time, err = parseTime(t); err != nil {
			return nil, err
		}
		if c.Signature, err = base64.StdEncoding.DecodeString(sig); err != nil {
			return nil, fmt.Errorf("sqlstore: checkpoint %d signature: %w", c.Seq, err)
		}
		if c.Certificate, err = base64.StdEncoding.DecodeString(cert); err != nil {
			return nil, fmt.Errorf("sqlstore: checkpoint %d certificate: %w", c.Seq, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
