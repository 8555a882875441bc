package archivetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// TestCatalog checks that a Catalog keeps the contract of archive.Catalog.
// newCatalog returns an empty, migrated catalog.
func TestCatalog(t *testing.T, newCatalog func(t testing.TB) archive.Catalog) {
	t.Run("RecordRoundTrip", func(t *testing.T) { t.Parallel(); testRecordRoundTrip(t, newCatalog(t)) })
	t.Run("NotFound", func(t *testing.T) { t.Parallel(); testCatalogNotFound(t, newCatalog(t)) })
	t.Run("RollbackOnError", func(t *testing.T) { t.Parallel(); testRollback(t, newCatalog(t)) })
	t.Run("BatchSummary", func(t *testing.T) { t.Parallel(); testBatchSummary(t, newCatalog(t)) })
	t.Run("ListRecords", func(t *testing.T) { t.Parallel(); testListRecords(t, newCatalog(t)) })
	t.Run("ListBatches", func(t *testing.T) { t.Parallel(); testListBatches(t, newCatalog(t)) })
	t.Run("Users", func(t *testing.T) { t.Parallel(); testUsers(t, newCatalog(t)) })
	t.Run("ConcurrentUpdates", func(t *testing.T) { t.Parallel(); testConcurrentUpdates(t, newCatalog(t)) })
	t.Run("Shares", func(t *testing.T) { t.Parallel(); testShares(t, newCatalog(t)) })
	t.Run("AuditChain", func(t *testing.T) { t.Parallel(); testAuditChain(t, newCatalog(t)) })
	t.Run("Copies", func(t *testing.T) { t.Parallel(); testCopies(t, newCatalog(t)) })
	t.Run("Logins", func(t *testing.T) { t.Parallel(); testLogins(t, newCatalog(t)) })
	t.Run("Sessions", func(t *testing.T) { t.Parallel(); testSessions(t, newCatalog(t)) })
	t.Run("RecordsToReview", func(t *testing.T) { t.Parallel(); testRecordsToReview(t, newCatalog(t)) })
	t.Run("Corrections", func(t *testing.T) { t.Parallel(); testCorrections(t, newCatalog(t)) })
	t.Run("PasswordLinks", func(t *testing.T) { t.Parallel(); testPasswordLinks(t, newCatalog(t)) })
	t.Run("UserAdmin", func(t *testing.T) { t.Parallel(); testUserAdmin(t, newCatalog(t)) })
	t.Run("Tokens", func(t *testing.T) { t.Parallel(); testTokens(t, newCatalog(t)) })
	t.Run("Agencies", func(t *testing.T) { t.Parallel(); testAgencies(t, newCatalog(t)) })
	t.Run("RecordsToRenew", func(t *testing.T) { t.Parallel(); testRecordsToRenew(t, newCatalog(t)) })
	t.Run("CopiesToRenew", func(t *testing.T) { t.Parallel(); testCopiesToRenew(t, newCatalog(t)) })
	t.Run("ResultCodes", func(t *testing.T) { t.Parallel(); testResultCodes(t, newCatalog(t)) })
	t.Run("ResultCodesConcurrent", func(t *testing.T) { t.Parallel(); testResultCodesConcurrent(t, newCatalog(t)) })
}

// SampleRecord returns a record of batch with realistic Vietnamese metadata.
func SampleRecord(batchID string, row int) *archive.Record {
	return &archive.Record{
		ID:      fmt.Sprintf("%s-r%03d", batchID, row),
		BatchID: batchID,
		Agency:  "BTNMT",
		Row:     row,
		Status:  archive.StatusReceived,
		Meta: archive.Metadata{
			DocTypeCode:    "GPMT",
			DocName:        "Giấy phép môi trường",
			Number:         fmt.Sprintf("%d/GP-BTNMT", 100+row),
			IssuedOn:       time.Date(2023, 5, 17, 0, 0, 0, 0, time.UTC),
			Issuer:         "Bộ Tài nguyên và Môi trường",
			HolderID:       "001088012345",
			HolderName:     "Nguyễn Văn Đức",
			Summary:        "Cấp giấy phép môi trường cho dự án nhà máy xử lý nước thải",
			ValidUntil:     time.Date(2033, 5, 16, 0, 0, 0, 0, time.UTC),
			ProcedureCode:  "1.010727",
			DossierCode:    "H12.1-230517-0001",
			ResultTypeCode: "KQ.G15.000031",
			ScannedBy:      "Lê Thị Hoa",
			ScannedAt:      time.Date(2026, 3, 4, 2, 15, 30, 0, time.UTC),
			ScannedAtFrom:  archive.ScanTimeEXIF,
		},
		Pages: []archive.Page{
			{N: 1, Name: "p1.jpg", Original: archive.RefOf([]byte(fmt.Sprint(batchID, row, 1))), DPI: 200},
			{N: 2, Name: "p2.jpg", Original: archive.RefOf([]byte(fmt.Sprint(batchID, row, 2))), DPI: 200},
		},
	}
}

// mustCreate inserts a batch and its records in one transaction.
func mustCreate(t testing.TB, c archive.Catalog, batchID string, rows int) []*archive.Record {
	t.Helper()
	var recs []*archive.Record
	err := c.Update(context.Background(), func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(context.Background(), &archive.Batch{ID: batchID, Agency: "BTNMT"}); err != nil {
			return err
		}
		for row := 2; row < 2+rows; row++ {
			r := SampleRecord(batchID, row)
			if err := tx.CreateRecord(context.Background(), r); err != nil {
				return err
			}
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create batch %s: %v", batchID, err)
	}
	return recs
}

func testRecordRoundTrip(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	want := mustCreate(t, c, "b1", 1)[0]
	got, err := c.Record(ctx, want.ID)
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	if got.Meta != want.Meta || len(got.Pages) != 2 || got.Pages[1] != want.Pages[1] || got.Status != want.Status {
		t.Fatalf("Record round trip:\n got %+v\nwant %+v", got, want)
	}
	if got.CreatedAt.IsZero() {
		t.Fatal("CreatedAt not set")
	}
	got.Status, got.Result, got.Size = archive.StatusAvailable, archive.RefOf([]byte("pdf")), 3
	got.ResultVersion = "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo"
	got.Pages[0].Normalised, got.Pages[0].Width = archive.RefOf([]byte("norm")), 1654
	got.Pages[0].DPIY, got.Pages[0].BlackIs1, got.Pages[0].Notes = 300, true, "trang trắng / blank page"
	got.Pages[0].Thumb, got.Pages[0].Preview = archive.RefOf([]byte("thumb")), archive.RefOf([]byte("preview"))
	got.Meta.HolderName = "Trần Thị Bình"
	got.Meta.ScannedBy, got.Meta.ScannedAt, got.Meta.ScannedAtFrom = "Phạm Văn Nam", time.Date(2026, 3, 5, 1, 0, 0, 0, time.UTC), archive.ScanTimeUpload
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.UpdateRecord(ctx, got) }); err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	again, err := c.Record(ctx, want.ID)
	if err != nil {
		t.Fatalf("Record after update: %v", err)
	}
	if again.Status != archive.StatusAvailable || again.Result != got.Result || again.Size != 3 ||
		again.ResultVersion != got.ResultVersion ||
		again.Pages[0] != got.Pages[0] || again.Meta != got.Meta {
		t.Fatalf("after update:\n got %+v\nwant %+v", again, got)
	}
	byResult, err := c.RecordsByResult(ctx, got.Result)
	if err != nil || len(byResult) != 1 || byResult[0].ID != got.ID {
		t.Fatalf("RecordsByResult = %v, %v; want [%s]", byResult, err, got.ID)
	}
	// A renewal replaces the result; the old one still names the record.
	old := got.Result
	got.Result = archive.RefOf([]byte("pdf with a new document timestamp"))
	if err := c.Update(ctx, func(tx archive.CatalogTx) error {
		return tx.ReplaceResult(ctx, got, old, got.ResultVersion, "TSA certificate expires")
	}); err != nil {
		t.Fatalf("ReplaceResult: %v", err)
	}
	for _, ref := range []archive.Ref{old, got.Result} {
		if recs, err := c.RecordsByResult(ctx, ref); err != nil || len(recs) != 1 || recs[0].Result != got.Result {
			t.Fatalf("RecordsByResult(%s) after renewal = %v, %v", ref, recs, err)
		}
	}
}

func testCatalogNotFound(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	if _, err := c.Record(ctx, "missing"); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("Record(missing): %v, want ErrNotFound", err)
	}
	if _, err := c.Batch(ctx, "missing"); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("Batch(missing): %v, want ErrNotFound", err)
	}
	if _, err := c.UserByToken(ctx, archive.RefOf([]byte("x"))); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("UserByToken(missing): %v, want ErrNotFound", err)
	}
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		return tx.UpdateRecord(ctx, SampleRecord("nob", 2))
	})
	if !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("UpdateRecord(missing): %v, want ErrNotFound", err)
	}
	recs, err := c.RecordsByResult(ctx, archive.RefOf([]byte("nothing")))
	if err != nil || len(recs) != 0 {
		t.Errorf("RecordsByResult(unknown) = %v, %v; want none, nil", recs, err)
	}
	mustCreate(t, c, "dup", 0)
	err = c.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateBatch(ctx, &archive.Batch{ID: "dup"}) })
	if !errors.Is(err, archive.ErrConflict) {
		t.Errorf("CreateBatch(existing): %v, want ErrConflict", err)
	}
}

func testRollback(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	boom := errors.New("boom")
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(ctx, &archive.Batch{ID: "rb"}); err != nil {
			return err
		}
		if err := tx.CreateRecord(ctx, SampleRecord("rb", 2)); err != nil {
			return err
		}
		if _, err := tx.Record(ctx, "rb-r002"); err != nil {
			return fmt.Errorf("read own write: %w", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	if _, err := c.Batch(ctx, "rb"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("batch survived rollback: %v", err)
	}
}

func testBatchSummary(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	recs := mustCreate(t, c, "bs", 3)
	recs[0].Status, recs[1].Status, recs[1].Reason = archive.StatusAvailable, archive.StatusFailed, "ảnh hỏng"
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		for _, r := range recs[:2] {
			if err := tx.UpdateRecord(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Batch(ctx, "bs")
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	if s.Total != 3 || s.Counts[archive.StatusAvailable] != 1 || s.Counts[archive.StatusFailed] != 1 || s.Done() {
		t.Fatalf("Batch summary = %+v, want 3 total, 1 available, 1 failed, not done", s)
	}
	list, err := c.BatchRecords(ctx, "bs")
	if err != nil || len(list) != 3 || list[1].Reason != "ảnh hỏng" || list[0].Row > list[1].Row {
		t.Fatalf("BatchRecords = %+v, %v", list, err)
	}
}

func testListRecords(t *testing.T, c archive.Catalog) {
	mustCreate(t, c, "la", 7)
	mustCreate(t, c, "lb", 5)
	var ids []string
	err := c.Records(context.Background(), func(r *archive.Record) error {
		ids = append(ids, r.ID)
		return nil
	})
	if err != nil || len(ids) != 12 {
		t.Fatalf("Records visited %d (%v), want 12", len(ids), err)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("Records out of order: %s after %s", ids[i], ids[i-1])
		}
	}

	// RecordsByID keeps the order asked for, leaves out a missing ID and
	// gives each record its pages, as Record does.
	asked := []string{ids[9], "missing", ids[0], ids[4]}
	got, err := c.RecordsByID(context.Background(), asked)
	if err != nil || len(got) != 3 {
		t.Fatalf("RecordsByID(%v) = %d records, %v; want 3", asked, len(got), err)
	}
	for i, id := range []string{ids[9], ids[0], ids[4]} {
		one, err := c.Record(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if got[i].ID != id || got[i].Meta != one.Meta || !slices.Equal(got[i].Pages, one.Pages) || len(got[i].Pages) != 2 {
			t.Errorf("RecordsByID #%d = %s with %d pages, want %s as Record gives it (%d pages)", i, got[i].ID,
				len(got[i].Pages), id, len(one.Pages))
		}
	}
	if none, err := c.RecordsByID(context.Background(), nil); err != nil || len(none) != 0 {
		t.Errorf("RecordsByID(nil) = %v, %v; want none", none, err)
	}
	many := slices.Repeat(ids, 100) // more IDs than one query names, each many times
	all, err := c.RecordsByID(context.Background(), many)
	if err != nil || len(all) != len(many) || all[len(many)-1].ID != ids[11] {
		t.Fatalf("RecordsByID of %d IDs = %d records, %v", len(many), len(all), err)
	}
	for _, r := range all {
		if len(r.Pages) != 2 {
			t.Fatalf("RecordsByID of %d IDs gives %s %d pages, want 2", len(many), r.ID, len(r.Pages))
		}
	}
}

// testListBatches: Batches lists the agencies' batches newest first with
// their counts, a page at a time.
func testListBatches(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC)
	var ids []string // oldest first
	for i, agency := range []string{"BTNMT", "UBND-HN", "BTNMT", "", "BTNMT"} {
		at := t0.Add(time.Duration(i) * time.Minute)
		b := &archive.Batch{ID: archive.NewID("b", at), Agency: agency, CreatedBy: "Lê Thị Hoa", CreatedAt: at}
		err := c.Update(ctx, func(tx archive.CatalogTx) error {
			if err := tx.CreateBatch(ctx, b); err != nil {
				return err
			}
			for row := 2; row < 2+i; row++ {
				r := SampleRecord(b.ID, row)
				if row == 2 {
					r.Status, r.Reason = archive.StatusFailed, "ảnh hỏng / damaged image"
				}
				if err := tx.CreateRecord(ctx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, b.ID)
	}
	got, err := c.Batches(ctx, archive.BatchQuery{Agencies: []string{"BTNMT", ""}})
	if err != nil {
		t.Fatalf("Batches: %v", err)
	}
	if len(got) != 4 || got[0].ID != ids[4] || got[1].ID != ids[3] || got[2].ID != ids[2] || got[3].ID != ids[0] {
		t.Fatalf("Batches(BTNMT, \"\") = %+v, want %s %s %s %s", got, ids[4], ids[3], ids[2], ids[0])
	}
	if g := got[0]; g.Total != 4 || g.Counts[archive.StatusFailed] != 1 || g.Counts[archive.StatusReceived] != 3 ||
		g.CreatedBy != "Lê Thị Hoa" || !g.CreatedAt.Equal(t0.Add(4*time.Minute)) || g.Agency != "BTNMT" {
		t.Errorf("newest batch = %+v", g)
	}
	if g := got[3]; g.Total != 0 || len(g.Counts) != 0 {
		t.Errorf("empty batch = %+v, want no counts", g)
	}
	page, err := c.Batches(ctx, archive.BatchQuery{Agencies: []string{"BTNMT"}, Before: ids[4], Limit: 1})
	if err != nil || len(page) != 1 || page[0].ID != ids[2] {
		t.Fatalf("Batches(BTNMT, before newest, 1) = %+v, %v; want %s", page, err, ids[2])
	}
	all, err := c.Batches(ctx, archive.BatchQuery{})
	if err != nil || len(all) != 5 || all[0].ID != ids[4] {
		t.Fatalf("Batches(every agency) = %d, %v", len(all), err)
	}
	none, err := c.Batches(ctx, archive.BatchQuery{Agencies: []string{"NONE"}})
	if err != nil || none == nil || len(none) != 0 {
		t.Fatalf("Batches(unknown agency) = %#v, %v; want an empty list", none, err)
	}
}

func testUsers(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	u := &archive.User{ID: "u1", Name: "Lê Thị Hoa", Role: archive.RoleClerk, Agency: "BTNMT"}
	h := archive.RefOf([]byte("secret token"))
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateUser(ctx, u, h) }); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	got, err := c.UserByToken(ctx, h)
	if err != nil || got.Name != u.Name || got.Role != u.Role || got.Agency != "BTNMT" {
		t.Fatalf("UserByToken = %+v, %v", got, err)
	}
}

func testConcurrentUpdates(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	recs := mustCreate(t, c, "cu", 20)
	var wg sync.WaitGroup
	for _, r := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.Update(ctx, func(tx archive.CatalogTx) error {
				cur, err := tx.Record(ctx, r.ID)
				if err != nil {
					return err
				}
				cur.Status = archive.StatusNormalised
				return tx.UpdateRecord(ctx, cur)
			})
			if err != nil {
				t.Errorf("update %s: %v", r.ID, err)
			}
		}()
	}
	wg.Wait()
	s, err := c.Batch(ctx, "cu")
	if err != nil || s.Counts[archive.StatusNormalised] != 20 {
		t.Fatalf("after concurrent updates: %+v, %v; want 20 normalised", s, err)
	}
}
