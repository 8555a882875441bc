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
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM audit_checkpoints WHERE seq = ?`, c.Seq).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: add checkpoint %d: %w", c.Seq, err)
	}
	if n > 0 {
		return fmt.Errorf("sqlstore: add checkpoint %d: already checkpointed: %w", c.Seq, archive.ErrConflict)
	}
	b64 := base64.StdEncoding.EncodeToString
	_, err := q.exec(ctx, `INSERT INTO audit_checkpoints (seq, hash, time, signature, certificate, format, prev_seq, timestamp_token)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.Seq, c.Hash, formatTime(c.Time), b64(c.Signature), b64(c.Certificate),
		max(c.Format, 1), c.Prev, b64(c.Timestamp))
	if err != nil {
		return fmt.Errorf("sqlstore: add checkpoint %d: %w", c.Seq, err)
	}
	return nil
}

const checkpointColumns = `seq, hash, time, signature, certificate, format, prev_seq, timestamp_token`

// AuditCheckpoints implements archive.CatalogReader.
func (q queries) AuditCheckpoints(ctx context.Context) ([]archive.AuditCheckpoint, error) {
	rows, err := q.query(ctx, `SELECT `+checkpointColumns+` FROM audit_checkpoints ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: checkpoints: %w", err)
	}
	defer rows.Close()
	var out []archive.AuditCheckpoint
	for rows.Next() {
		c, err := scanCheckpoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// LastCheckpoint implements archive.CatalogReader.
func (q queries) LastCheckpoint(ctx context.Context) (*archive.AuditCheckpoint, error) {
	c, err := scanCheckpoint(q.queryRow(ctx, `SELECT `+checkpointColumns+` FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlstore: last checkpoint: %w", archive.ErrNotFound)
	}
	return c, err
}

func scanCheckpoint(s scanner) (*archive.AuditCheckpoint, error) {
	var c archive.AuditCheckpoint
	var t, sig, cert, token string
	if err := s.Scan(&c.Seq, &c.Hash, &t, &sig, &cert, &c.Format, &c.Prev, &token); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("sqlstore: checkpoints: %w", err)
	}
	var err error
	if c.Time, err = parseTime(t); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		in   string
		out  *[]byte
	}{{"signature", sig, &c.Signature}, {"certificate", cert, &c.Certificate}, {"time-stamp", token, &c.Timestamp}} {
		if *f.out, err = base64.StdEncoding.DecodeString(f.in); err != nil {
			return nil, fmt.Errorf("sqlstore: checkpoint %d %s: %w", c.Seq, f.name, err)
		}
	}
	if len(c.Timestamp) == 0 {
		c.Timestamp = nil
	}
	return &c, nil
}
