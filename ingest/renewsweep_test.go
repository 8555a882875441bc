package ingest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/migrations"
)

// TestSweepEnqueuesEachDueOnce runs the results' and the copies' sweeps
// twice, with no worker to take the renewals: every result and copy due
// (more than a page of them, some not known yet) gets exactly one job,
// and nothing else gets one.
func TestSweepEnqueuesEachDueOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(filepath.Join(t.TempDir(), "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		t.Fatal(err)
	}
	m, err := rivermigrate.New(riversqlite.New(db), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		t.Fatal(err)
	}
	cat, err := sqlstore.New(sqlstore.Config{DB: db, Dialect: sqlstore.SQLiteDialect})
	if err != nil {
		t.Fatal(err)
	}
	client, err := river.NewClient(riversqlite.New(db), &river.Config{SkipUnknownJobCheck: true}) // inserts only
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2029, 11, 3, 8, 0, 0, 0, time.UTC)
	p := &pipeline{PipelineConfig{Catalog: cat, RenewMargin: 24 * time.Hour, Now: func() time.Time { return now },
		Enqueue: NewEnqueueFunc(client, func(tx archive.CatalogTx) (*sql.Tx, error) { return tx.(*sqlstore.Tx).SQLTx(), nil })}}
	wantRecords, wantCopies := fillForSweep(t, cat, now)

	for range 2 {
		if err := (&RenewWorker{p: p}).Work(ctx, &river.Job[RenewArgs]{JobRow: &rivertype.JobRow{}}); err != nil {
			t.Fatal(err)
		}
		if err := (&RenewCopiesWorker{p: p}).Work(ctx, &river.Job[RenewCopiesArgs]{JobRow: &rivertype.JobRow{}}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := client.JobList(ctx, river.NewJobListParams().First(10000))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, j := range res.Jobs {
		var args struct {
			RecordID string `json:"record_id"`
			CopyID   string `json:"copy_id"`
		}
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatal(err)
		}
		got[j.Kind+" "+args.RecordID+args.CopyID]++
	}
	want := map[string]int{}
	for _, id := range wantRecords {
		want["renew_record "+id] = 1
	}
	for _, id := range wantCopies {
		want["renew_copy "+id] = 1
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%d jobs enqueued, want %d (one per due row)\n got %v\nwant %v", len(res.Jobs), len(want), got, want)
	}
}

// fillForSweep puts in cat 1,000 available results trusted long, 450 due
// within the margin of now, 30 not known, and 20 not known but not
// available; and 300 copies of which 250 are due or not known. It returns
// the IDs of those due.
func fillForSweep(t *testing.T, cat archive.Catalog, now time.Time) (records, copies []string) {
	ctx := context.Background()
	err := cat.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(ctx, &archive.Batch{ID: "b"}); err != nil {
			return err
		}
		for i := range 1500 {
			r := &archive.Record{ID: fmt.Sprintf("r%05d", i), BatchID: "b", Row: i + 2, Status: archive.StatusAvailable,
				Result: archive.RefOf([]byte("result")), ResultTrustedUntil: now.AddDate(5, 0, 0)}
			switch {
			case i < 450:
				r.ResultTrustedUntil = now.Add(time.Duration(i%7) * time.Hour) // some share a date
			case i < 480:
				r.ResultTrustedUntil = time.Time{}
			case i < 500:
				r.ResultTrustedUntil, r.Status = time.Time{}, archive.StatusStored
			}
			if r.Status == archive.StatusAvailable && r.ResultTrustedUntil.Before(now.AddDate(1, 0, 0)) {
				records = append(records, r.ID)
			}
			if err := tx.CreateRecord(ctx, r); err != nil {
				return err
			}
		}
		for i := range 300 {
			c := &archive.Copy{ID: fmt.Sprintf("c%04d", i), RecordID: "r00000", Form: archive.FormSaoY, For: "UBND",
				IssuedBy: "u", IssuedAt: now, Code: fmt.Sprintf("CODE-%d", i), Result: archive.RefOf([]byte("copy"))}
			switch {
			case i < 200:
				c.TrustedUntil = now.Add(23 * time.Hour)
			case i < 250:
			default:
				c.TrustedUntil = now.Add(25 * time.Hour) // just past the margin
			}
			if i < 250 {
				copies = append(copies, c.ID)
			}
			if err := tx.CreateCopy(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return records, copies
}
