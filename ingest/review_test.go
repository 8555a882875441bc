package ingest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// TestNeedsMetadata: a row whose only fault is a date that does not exist
// has its pages stored and normalised (with views), then waits in
// needs_metadata with the reason and field, without being assembled.
// Completing its metadata sends it on to an available, signed record.
func TestNeedsMetadata(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	r := b.sendManifest(t, map[string][]byte{"p/1.jpg": a4JPEG(t), "p/2.jpg": a4JPEG(t)},
		"file,doc_name,number,issued_on,issuer,holder_name\np,Giấy phép khai thác nước,12/GP-UBND,31/02/2021,UBND tỉnh Đồng Nai,Hồ Văn Bảy\n")
	if r.Status != archive.StatusNeedsMetadata || r.ReasonField != "issued_on" || !strings.Contains(r.Reason, `"31/02/2021"`) {
		t.Fatalf("record = %s %q field %q, want needs_metadata about issued_on", r.Status, r.Reason, r.ReasonField)
	}
	if len(r.Pages) != 2 || r.Pages[0].Normalised == "" || r.Unsigned != "" || r.Result != "" {
		t.Fatalf("record pages %+v unsigned %q result %q, want 2 normalised pages and nothing assembled", r.Pages, r.Unsigned, r.Result)
	}
	checkPageViews(t, b, r, []bool{false, false})
	b.waitIdle(t)
	if got := b.jobs(t, "assemble"); len(got) != 0 {
		t.Fatalf("a record waiting for metadata went on to assembly: %+v", got)
	}
	sum, err := b.catalog.Batch(ctx, r.BatchID)
	if err != nil || !sum.Done() || sum.Counts[archive.StatusNeedsMetadata] != 1 {
		t.Fatalf("batch summary %+v, %v; want done with one needs_metadata", sum, err)
	}

	clerk := &archive.User{ID: "u-clerk", Name: "Lê Thị Hoa", Role: archive.RoleClerk}
	bad := r.Meta
	bad.IssuedOn = time.Time{}
	_, err = b.intake.UpdateMetadata(ctx, r.ID, ingest.MetadataChange{Meta: bad, By: clerk})
	var re *ingest.RowError
	if !errors.As(err, &re) || re.Column != "issued_on" || !errors.Is(err, archive.ErrInvalid) {
		t.Fatalf("completing without a date = %v, want a RowError on issued_on", err)
	}
	good := r.Meta
	good.IssuedOn = time.Date(2021, 2, 28, 0, 0, 0, 0, time.UTC)
	if _, err := b.intake.UpdateMetadata(ctx, r.ID, ingest.MetadataChange{Meta: good, By: clerk}); err != nil {
		t.Fatalf("completing: %v", err)
	}
	done := b.waitDone(t, r.ID)
	if done.Status != archive.StatusAvailable || done.Reason != "" || done.ReasonField != "" ||
		!done.Meta.IssuedOn.Equal(good.IssuedOn) || done.Meta.ScannedBy != r.Meta.ScannedBy {
		t.Fatalf("completed record = %s %q %+v", done.Status, done.Reason, done.Meta)
	}
	b.verify(t, done)
	if cs, err := b.catalog.Corrections(ctx, r.ID); err != nil || len(cs) != 0 {
		t.Fatalf("completing a record made corrections %+v, %v", cs, err)
	}
}

// TestCorrection: correcting an available record needs a reason, keeps the
// values before with who, when and why, leaves the signed PDF alone and asks
// for the record to be indexed again.
func TestCorrection(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	r := b.send(t, map[string][]byte{"p/1.jpg": a4JPEG(t)}, "p")
	if r.Status != archive.StatusAvailable {
		t.Fatalf("record %s %q", r.Status, r.Reason)
	}
	clerk := &archive.User{ID: "u-clerk", Name: "Lê Thị Hoa", Role: archive.RoleClerk}
	m := r.Meta
	m.Number = "13/GP-UBND"
	for _, reason := range []string{"", "   ", strings.Repeat("x", archive.MaxCorrectionReason+1)} {
		_, err := b.intake.UpdateMetadata(ctx, r.ID, ingest.MetadataChange{Meta: m, Reason: reason, By: clerk})
		var re *ingest.RowError
		if !errors.As(err, &re) || re.Column != "reason" {
			t.Fatalf("correction with reason %q = %v, want a RowError on reason", reason, err)
		}
	}
	if _, err := b.intake.UpdateMetadata(ctx, r.ID, ingest.MetadataChange{Meta: r.Meta, Reason: "x", By: clerk}); !errors.Is(err, archive.ErrInvalid) {
		t.Fatalf("a correction changing nothing = %v, want ErrInvalid", err)
	}
	got, err := b.intake.UpdateMetadata(ctx, r.ID, ingest.MetadataChange{Meta: m, Reason: "sai số ký hiệu", By: clerk})
	if err != nil {
		t.Fatal(err)
	}
	if got.Meta.Number != "13/GP-UBND" || got.Result != r.Result || got.Status != archive.StatusAvailable {
		t.Fatalf("corrected record %+v", got)
	}
	cs, err := b.catalog.Corrections(ctx, r.ID)
	if err != nil || len(cs) != 1 || cs[0].Before.Number != "12/GP-UBND" || cs[0].After.Number != "13/GP-UBND" ||
		cs[0].CorrectedBy != "u-clerk" || cs[0].CorrectedByName != "Lê Thị Hoa" || cs[0].Reason != "sai số ký hiệu" {
		t.Fatalf("corrections %+v, %v", cs, err)
	}
	b.waitIdle(t)
	if jobs := b.jobs(t, "reindex"); len(jobs) != 1 {
		t.Fatalf("reindex jobs %d, want 1", len(jobs))
	}
}
