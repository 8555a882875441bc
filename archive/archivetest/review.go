package archivetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// testRecordsToReview checks that failed and needs-metadata records are
// listed newest first, limited to the agencies asked for.
func testRecordsToReview(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	recs := mustCreate(t, c, "rv", 4)
	other := SampleRecord("rw", 2)
	other.Agency, other.Status = "OTHER", archive.StatusNeedsMetadata
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(ctx, &archive.Batch{ID: "rw", Agency: "OTHER"}); err != nil {
			return err
		}
		return tx.CreateRecord(ctx, other)
	})
	if err != nil {
		t.Fatal(err)
	}
	recs[0].Status, recs[0].Reason = archive.StatusFailed, "ảnh hỏng / damaged image"
	recs[1].Status, recs[1].Reason, recs[1].ReasonField = archive.StatusNeedsMetadata, "ngày sai / bad date", "issued_on"
	recs[2].Status = archive.StatusAvailable
	err = c.Update(ctx, func(tx archive.CatalogTx) error {
		for _, r := range recs {
			if err := tx.UpdateRecord(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.RecordsToReview(ctx, []string{"BTNMT"}, 10)
	if err != nil {
		t.Fatalf("RecordsToReview: %v", err)
	}
	if len(got) != 2 || got[0].ID != recs[1].ID || got[1].ID != recs[0].ID {
		t.Fatalf("RecordsToReview(BTNMT) = %v, want %s then %s", ids(got), recs[1].ID, recs[0].ID)
	}
	if got[0].ReasonField != "issued_on" || got[0].Reason != "ngày sai / bad date" || len(got[0].Pages) != 0 {
		t.Fatalf("RecordsToReview record = %+v, want its reason, its field and no pages", got[0])
	}
	if all, err := c.RecordsToReview(ctx, nil, 10); err != nil || len(all) != 3 {
		t.Fatalf("RecordsToReview(any) = %v, %v; want 3", ids(all), err)
	}
	if one, err := c.RecordsToReview(ctx, nil, 1); err != nil || len(one) != 1 {
		t.Fatalf("RecordsToReview(limit 1) = %v, %v", ids(one), err)
	}
	if none, err := c.RecordsToReview(ctx, []string{}, 10); err != nil || len(none) != 0 {
		t.Fatalf("RecordsToReview(no agency) = %v, %v", ids(none), err)
	}
}

// testCorrections checks that corrections are numbered per record, kept
// with who, when, why and both sets of values, and listed in order.
func testCorrections(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	recs := mustCreate(t, c, "co", 2)
	at := time.Date(2026, 4, 1, 3, 4, 5, 0, time.UTC)
	before := recs[0].Meta
	after := before
	after.Number, after.HolderName = "999/GP-BTNMT", "Nguyễn Văn Đức <b>"
	add := func(id, reason string) *archive.Correction {
		cor := &archive.Correction{RecordID: id, CorrectedBy: "u-clerk", CorrectedByName: "Lê Thị Hoa",
			CorrectedAt: at, Reason: reason, Before: before, After: after}
		if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.AddCorrection(ctx, cor) }); err != nil {
			t.Fatalf("AddCorrection: %v", err)
		}
		return cor
	}
	if first := add(recs[0].ID, "sai số ký hiệu"); first.Seq != 1 {
		t.Fatalf("first correction Seq = %d, want 1", first.Seq)
	}
	if second := add(recs[0].ID, "sai tên"); second.Seq != 2 {
		t.Fatalf("second correction Seq = %d, want 2", second.Seq)
	}
	if other := add(recs[1].ID, "khác"); other.Seq != 1 {
		t.Fatalf("another record's first correction Seq = %d, want 1", other.Seq)
	}
	got, err := c.Corrections(ctx, recs[0].ID)
	if err != nil || len(got) != 2 {
		t.Fatalf("Corrections = %+v, %v; want 2", got, err)
	}
	g := got[0]
	if g.Seq != 1 || g.RecordID != recs[0].ID || g.CorrectedBy != "u-clerk" || g.CorrectedByName != "Lê Thị Hoa" ||
		!g.CorrectedAt.Equal(at) || g.Reason != "sai số ký hiệu" || g.After.Number != "999/GP-BTNMT" ||
		g.After.HolderName != "Nguyễn Văn Đức <b>" || g.Before.Number != before.Number ||
		!g.Before.IssuedOn.Equal(before.IssuedOn) || got[1].Seq != 2 || got[1].Reason != "sai tên" {
		t.Fatalf("Corrections[0] = %+v", g)
	}
	if none, err := c.Corrections(ctx, "no-such-record"); err != nil || len(none) != 0 {
		t.Fatalf("Corrections(missing) = %v, %v; want none", none, err)
	}
	err = c.Update(ctx, func(tx archive.CatalogTx) error {
		return tx.AddCorrection(ctx, &archive.Correction{RecordID: "no-such-record", CorrectedBy: "u", Reason: "x"})
	})
	if !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("AddCorrection(missing record) = %v, want ErrNotFound", err)
	}
}

func ids(recs []archive.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}
