package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/archivetest"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/migrations"
)

// TestResultCodesMigrated: migration 00017 numbers the records made before
// it, in the order they were made, and new records go on from there.
func TestResultCodesMigrated(t *testing.T) {
	t.Parallel()
	onBothDialects(t, testResultCodesMigrated)
}

func testResultCodesMigrated(t *testing.T, db *sql.DB, name migrations.Dialect, d sqlstore.Dialect) {
	ctx := context.Background()
	if err := migrations.UpTo(ctx, db, name, 15); err != nil {
		t.Fatal(err)
	}
	p := d.Placeholder
	if _, err := db.ExecContext(ctx, `INSERT INTO batches (id, agency, created_at) VALUES ('b-old', 'H01', '2025-12-31T10:00:00.000000000Z')`); err != nil {
		t.Fatal(err)
	}
	// The third is made at 01:00 on 1 January 2026 in Vietnam: its year
	// is 2026.
	for _, r := range []struct{ id, dossier, created string }{
		{"r-2", "D-1", "2025-12-31T10:00:02.000000000Z"},
		{"r-1", "D-1", "2025-12-31T10:00:01.000000000Z"},
		{"r-3", "", "2025-12-31T18:00:00.000000000Z"},
		{"r-4", "", "2025-12-31T16:00:00.000000000Z"},
	} {
		q := `INSERT INTO records (id, batch_id, agency, row, status, dossier_code, created_at, updated_at) VALUES (` +
			p(1) + `, 'b-old', 'H01', 2, 'available', ` + p(2) + `, ` + p(3) + `, ` + p(4) + `)`
		if _, err := db.ExecContext(ctx, q, r.id, r.dossier, r.created, r.created); err != nil {
			t.Fatal(err)
		}
	}
	if err := migrations.Up(ctx, db, name); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 3, 0, 0, 0, time.UTC)
	s, err := sqlstore.New(sqlstore.Config{DB: db, Dialect: d, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"r-1": "D-1-KQ01", "r-2": "D-1-KQ02", "r-3": "H01-2026-000001", "r-4": "H01-2025-000001"} {
		r, err := s.Record(ctx, id)
		if err != nil || r.ResultCode != want {
			t.Errorf("record %s after migrating: %+v, %v; want result code %s", id, r, err, want)
		}
	}
	var recs []*archive.Record
	err = s.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(ctx, &archive.Batch{ID: "b-new", Agency: "H01"}); err != nil {
			return err
		}
		for i, dossier := range []string{"D-1", ""} {
			r := archivetest.SampleRecord("b-new", i+2)
			r.Agency, r.Meta.DossierCode = "H01", dossier
			if err := tx.CreateRecord(ctx, r); err != nil {
				return err
			}
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if recs[0].ResultCode != "D-1-KQ03" || recs[1].ResultCode != "H01-2026-000002" {
		t.Fatalf("new records after migrating: %q, %q; want D-1-KQ03, H01-2026-000002", recs[0].ResultCode, recs[1].ResultCode)
	}
}
