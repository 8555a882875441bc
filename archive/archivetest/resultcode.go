package archivetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// createCodedBatch creates batch id of agency with one record per dossier
// code ("" for none) and returns the records.
func createCodedBatch(ctx context.Context, c archive.Catalog, id, agency string, dossiers ...string) ([]*archive.Record, error) {
	var recs []*archive.Record
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		recs = recs[:0] // a retried transaction starts again
		if err := tx.CreateBatch(ctx, &archive.Batch{ID: id, Agency: agency}); err != nil {
			return err
		}
		for i, d := range dossiers {
			r := SampleRecord(id, i+2)
			r.ID, r.Agency, r.Meta.DossierCode = fmt.Sprintf("%s-r%d", id, i), agency, d
			recs = append(recs, r)
		}
		for _, r := range archive.InResultCodeOrder(recs, time.Now()) {
			if err := tx.CreateRecord(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	return recs, err
}

func testResultCodes(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	recs, err := createCodedBatch(ctx, c, "rc1", "H01", "D-1", "", "D-1", "")
	if err != nil {
		t.Fatal(err)
	}
	year := recs[0].CreatedAt.In(archive.Vietnam).Year()
	want := []string{"D-1-KQ01", fmt.Sprintf("H01-%d-000001", year), "D-1-KQ02", fmt.Sprintf("H01-%d-000002", year)}
	for i, r := range recs {
		if r.ResultCode != want[i] {
			t.Errorf("record %d: result code %q, want %q", i, r.ResultCode, want[i])
		}
		got, err := c.Record(ctx, r.ID)
		if err != nil || got.ResultCode != want[i] {
			t.Errorf("record %d read back: %+v, %v; want result code %q", i, got, err, want[i])
		}
	}
	// A failed transaction gives its numbers back.
	boom := errors.New("boom")
	err = c.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(ctx, &archive.Batch{ID: "rc2"}); err != nil {
			return err
		}
		r := SampleRecord("rc2", 2)
		r.Meta.DossierCode = "D-1"
		if err := tx.CreateRecord(ctx, r); err != nil {
			return err
		}
		if r.ResultCode != "D-1-KQ03" {
			t.Errorf("in the transaction rolled back: result code %q, want D-1-KQ03", r.ResultCode)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("rolled back intake: %v", err)
	}
	// The next batch goes on from the last committed number, in another
	// agency's own sequence, and a record without agency counts as KHOSO.
	// A dossier code too long to be one (a row waiting for its correction)
	// is numbered as no dossier.
	recs, err = createCodedBatch(ctx, c, "rc3", "", "D-1", "", "D-2", strings.Repeat("D", archive.MaxDossierCode+1))
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"D-1-KQ03", fmt.Sprintf("KHOSO-%d-000001", year), "D-2-KQ01", fmt.Sprintf("KHOSO-%d-000002", year)}
	for i, r := range recs {
		if r.ResultCode != want[i] {
			t.Errorf("second batch record %d: result code %q, want %q", i, r.ResultCode, want[i])
		}
	}
	// A code already taken is refused.
	err = c.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(ctx, &archive.Batch{ID: "rc4"}); err != nil {
			return err
		}
		r := SampleRecord("rc4", 2)
		r.ResultCode = "D-1-KQ01"
		return tx.CreateRecord(ctx, r)
	})
	if err == nil {
		t.Fatal("a second record with result code D-1-KQ01 was created")
	}
}

// testResultCodesConcurrent has 8 intakes at once number records of two
// dossiers, crossing, and of one agency's year: every number from 1 is
// taken once, and no intake fails. Without InResultCodeOrder, PostgreSQL
// would fail some of them as deadlocked.
func testResultCodesConcurrent(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	const workers, perBatch = 8, 3
	var mu sync.Mutex
	var codes []string
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Half the batches name the dossiers the other way round.
			dossiers := []string{"H01-260101-0001", "", "H01-260101-0002", "H01-260101-0001", "", "H01-260101-0002", "H01-260101-0001", ""}
			if w%2 == 1 {
				slices.Reverse(dossiers)
			}
			recs, err := createCodedBatch(ctx, c, fmt.Sprintf("cc%d", w), "BTNMT", dossiers...)
			if err != nil {
				t.Errorf("batch %d: %v", w, err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, r := range recs {
				codes = append(codes, r.ResultCode)
			}
		}()
	}
	wg.Wait()
	var want []string
	year := time.Now().In(archive.Vietnam).Year()
	for n := 1; n <= workers*perBatch; n++ {
		want = append(want, fmt.Sprintf("BTNMT-%d-%06d", year, n), fmt.Sprintf("H01-260101-0001-KQ%02d", n))
		if n <= workers*2 {
			want = append(want, fmt.Sprintf("H01-260101-0002-KQ%02d", n))
		}
	}
	sort.Strings(codes)
	sort.Strings(want)
	if fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Fatalf("concurrent result codes:\n got %v\nwant %v", codes, want)
	}
}
