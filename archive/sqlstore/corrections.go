package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/khoso-vn/khoso/archive"
)

// AddCorrection implements archive.CatalogWriter. The record's row is
// locked first, so two corrections of one record get distinct numbers.
func (q queries) AddCorrection(ctx context.Context, c *archive.Correction) error {
	lock := `SELECT id FROM records WHERE id = ?`
	if q.inTx {
		lock += " " + q.d.LockRow
	}
	var id string
	if err := q.queryRow(ctx, lock, c.RecordID).Scan(&id); err != nil {
		return fmt.Errorf("sqlstore: correct record %s: %w", c.RecordID, notFound(err))
	}
	before, err := json.Marshal(c.Before)
	if err != nil {
		return fmt.Errorf("sqlstore: correct record %s: %w", c.RecordID, err)
	}
	after, err := json.Marshal(c.After)
	if err != nil {
		return fmt.Errorf("sqlstore: correct record %s: %w", c.RecordID, err)
	}
	var seq int
	if err := q.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM record_corrections WHERE record_id = ?`,
		c.RecordID).Scan(&seq); err != nil {
		return fmt.Errorf("sqlstore: correct record %s: %w", c.RecordID, err)
	}
	if c.CorrectedAt.IsZero() {
		c.CorrectedAt = q.now()
	}
	_, err = q.exec(ctx, `INSERT INTO record_corrections (record_id, seq, corrected_by, corrected_by_name,
		corrected_at, reason, before_meta, after_meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.RecordID, seq+1, c.CorrectedBy, c.CorrectedByName, formatTime(c.CorrectedAt), c.Reason,
		string(before), string(after))
	if err != nil {
		return fmt.Errorf("sqlstore: correct record %s: %w", c.RecordID, err)
	}
	c.Seq = seq + 1
	return nil
}

// Corrections implements archive.CatalogReader.
func (q queries) Corrections(ctx context.Context, recordID string) ([]archive.Correction, error) {
	rows, err := q.query(ctx, `SELECT seq, corrected_by, corrected_by_name, corrected_at, reason, before_meta,
		after_meta FROM record_corrections WHERE record_id = ? ORDER BY seq`, recordID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: corrections of %s: %w", recordID, err)
	}
	defer rows.Close()
	var out []archive.Correction
	for rows.Next() {
		c := archive.Correction{RecordID: recordID}
		var at, before, after string
		if err := rows.Scan(&c.Seq, &c.CorrectedBy, &c.CorrectedByName, &at, &c.Reason, &before, &after); err != nil {
			return nil, fmt.Errorf("sqlstore: corrections of %s: %w", recordID, err)
		}
		if c.CorrectedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(before), &c.Before); err != nil {
			return nil, fmt.Errorf("sqlstore: corrections of %s: %w", recordID, err)
		}
		if err := json.Unmarshal([]byte(after), &c.After); err != nil {
			return nil, fmt.Errorf("sqlstore: corrections of %s: %w", recordID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: corrections of %s: %w", recordID, err)
	}
	return out, nil
}
