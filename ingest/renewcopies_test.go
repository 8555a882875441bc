package ingest_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/copies"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/signing"
)

// TestCopyRenewal runs the copies' renewal job on a fake clock: a fresh copy
// is left alone; when the TSA certificate nears its end the copy gets a new
// document time-stamp that validates, and the file first issued stays in
// its history, still issued.
func TestCopyRenewal(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	b := setupWith(t, now)
	r := b.send(t, map[string][]byte{"p/1.jpg": a4JPEG(t)}, "p")
	ctx := context.Background()
	copier, err := copies.New(copies.Config{Catalog: b.catalog, Blobs: b.blobs, Signer: b.signer, AgencyName: "Sở Tài nguyên và Môi trường",
		PublicURL: "https://khoso.example.vn"})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := copier.Issue(ctx, copies.Request{RecordID: r.ID, Form: archive.FormSaoY, For: "UBND phường 5", IssuedBy: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	renew := func() *archive.Copy {
		if _, err := b.client.Insert(ctx, ingest.RenewCopiesArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		b.waitIdle(t)
		got, err := b.catalog.CopyByCode(ctx, cp.Code)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := renew(); got.Result != cp.Result || len(got.Earlier) != 0 {
		t.Fatalf("renewed a fresh copy: %+v", got)
	}
	issued, err := archive.ReadAll(ctx, b.blobs, cp.Result)
	if err != nil {
		t.Fatal(err)
	}
	if until, _, err := signing.TrustedUntil(issued); err != nil || cp.TrustedUntil.IsZero() || !cp.TrustedUntil.Equal(until) {
		t.Fatalf("issued copy trusted until %v, want %v (%v)", cp.TrustedUntil, until, err)
	}
	if jobs := b.jobs(t, "renew_copy"); len(jobs) != 0 {
		t.Fatalf("the sweep enqueued %d renewals of a fresh copy, want none", len(jobs))
	}
	offset.Store(int64(3*365*24*time.Hour - 30*24*time.Hour))
	got := renew()
	if got.Result == cp.Result || !got.Issued(cp.Result) || !got.Issued(got.Result) || got.Size == cp.Size {
		t.Fatalf("copy after renewal %+v; want a new result with the first one kept", got)
	}
	pdf, err := archive.ReadAll(ctx, b.blobs, got.Result)
	if err != nil {
		t.Fatal(err)
	}
	if until, _, err := signing.TrustedUntil(pdf); err != nil || !got.TrustedUntil.Equal(until) {
		t.Errorf("renewed copy trusted until %v, want %v (%v)", got.TrustedUntil, until, err)
	}
	if jobs := b.jobs(t, "renew_copy"); len(jobs) != 1 || jobs[0].State != "completed" {
		t.Errorf("renew_copy jobs %d, want one, completed", len(jobs))
	}
	rep, err := signing.Verify(pdf, b.roots)
	if err != nil {
		t.Fatal(err)
	}
	if last := rep.Signatures[len(rep.Signatures)-1]; !rep.Valid || len(rep.Signatures) != 3 || !last.DocumentTimestamp || !last.Valid {
		t.Fatalf("renewed copy: valid=%v, %d signatures; want the signature and two document time-stamps\n%s",
			rep.Valid, len(rep.Signatures), rep.Text())
	}
}
