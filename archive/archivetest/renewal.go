package archivetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// testRecordsToRenew: the records due for renewal come in renewal order
// (not known first, by ID, then by TrustedUntil and ID), page by page from
// the last key, only available ones and only those due; the trust a write
// sets is read back, and SetResultTrustedUntil refuses a result that is no
// longer the record's.
func testRecordsToRenew(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	t0 := time.Date(2029, 11, 3, 8, 30, 0, 123456789, time.UTC)
	day := 24 * time.Hour
	trust := map[int]time.Duration{2: -1, 3: day, 4: 3 * day, 5: day, 6: -1, 7: 10 * day, 8: -1}
	recs := mustCreate(t, c, "rn", len(trust))
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		for _, r := range recs {
			r.Status, r.Result = archive.StatusAvailable, archive.RefOf([]byte(r.ID))
			if d := trust[r.Row]; d >= 0 {
				r.ResultTrustedUntil = t0.Add(d)
			}
			if r.Row == 8 {
				r.Status = archive.StatusStored // not available: not renewed yet
			}
			if err := tx.UpdateRecord(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.Record(ctx, "rn-r004"); err != nil || !got.ResultTrustedUntil.Equal(t0.Add(3*day)) {
		t.Fatalf("Record(rn-r004) trusted until %v, %v; want %v", got.ResultTrustedUntil, err, t0.Add(3*day))
	}
	before := t0.Add(5 * day)
	want := "[rn-r002 - rn-r006 - rn-r003 24h0m0s rn-r005 24h0m0s rn-r004 72h0m0s]" // rn-r007 is not due, rn-r008 not available
	if got := renewalPages(t, c.RecordsToRenew, t0, before, 2); got != want {
		t.Fatalf("RecordsToRenew by 2: %s, want %s", got, want)
	}
	if got := renewalPages(t, c.RecordsToRenew, t0, before, 200); got != want {
		t.Fatalf("RecordsToRenew by 200: %s, want %s", got, want)
	}
	if _, err := c.RecordsToRenew(ctx, before, archive.RenewalKey{}, 0); !errors.Is(err, archive.ErrInvalid) {
		t.Fatalf("RecordsToRenew with limit 0 = %v, want ErrInvalid", err)
	}
	set := func(id string, ref archive.Ref, until time.Time) error {
		return c.Update(ctx, func(tx archive.CatalogTx) error { return tx.SetResultTrustedUntil(ctx, id, ref, until) })
	}
	if err := set("rn-r002", archive.RefOf([]byte("another file")), t0); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("SetResultTrustedUntil of a replaced result = %v, want ErrConflict", err)
	}
	if err := set("rn-r999", archive.RefOf([]byte("x")), t0); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("SetResultTrustedUntil of a missing record = %v, want ErrNotFound", err)
	}
	if err := set("rn-r002", archive.RefOf([]byte("rn-r002")), t0.Add(20*day)); err != nil {
		t.Fatal(err)
	}
	if err := set("rn-r003", archive.RefOf([]byte("rn-r003")), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, want := renewalPages(t, c.RecordsToRenew, t0, before, 2), "[rn-r003 - rn-r006 - rn-r005 24h0m0s rn-r004 72h0m0s]"; got != want {
		t.Fatalf("RecordsToRenew after SetResultTrustedUntil: %s, want %s", got, want)
	}
	if got, err := c.Record(ctx, "rn-r002"); err != nil || !got.ResultTrustedUntil.Equal(t0.Add(20*day)) {
		t.Fatalf("Record(rn-r002) trusted until %v, %v", got.ResultTrustedUntil, err)
	}
}

// testCopiesToRenew: copies come in renewal order as records do; the trust
// is kept by CreateCopy, ReplaceCopyResult and SetCopyTrustedUntil, and
// Copy finds a copy by ID.
func testCopiesToRenew(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	rec := mustCreate(t, c, "cr", 1)[0]
	t0 := time.Date(2029, 11, 3, 8, 30, 0, 0, time.UTC)
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		for i, d := range []time.Duration{-1, 2 * time.Hour, time.Hour, 48 * time.Hour} {
			cp := &archive.Copy{ID: fmt.Sprintf("cr%d", i), RecordID: rec.ID, Form: archive.FormSaoY, For: "UBND xã",
				IssuedBy: "u1", IssuedAt: t0, Code: fmt.Sprintf("CODE-%d", i), Result: archive.RefOf([]byte{byte(i)}), Size: 1}
			if d >= 0 {
				cp.TrustedUntil = t0.Add(d)
			}
			if err := tx.CreateCopy(ctx, cp); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	before := t0.Add(24 * time.Hour)
	if got, want := renewalPages(t, c.CopiesToRenew, t0, before, 1), "[cr0 - cr2 1h0m0s cr1 2h0m0s]"; got != want {
		t.Fatalf("CopiesToRenew: %s, want %s", got, want)
	}
	cp, err := c.Copy(ctx, "cr1")
	if err != nil || cp.Code != "CODE-1" || !cp.TrustedUntil.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("Copy(cr1) = %+v, %v", cp, err)
	}
	if _, err := c.Copy(ctx, "nope"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("Copy(unknown) = %v, want ErrNotFound", err)
	}
	old := cp.Result
	cp.Result, cp.TrustedUntil = archive.RefOf([]byte("renewed")), t0.Add(72*time.Hour)
	err = c.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.ReplaceCopyResult(ctx, cp, old, "", "TSA certificate expires"); err != nil {
			return err
		}
		if err := tx.SetCopyTrustedUntil(ctx, "cr2", archive.RefOf([]byte{9}), t0); !errors.Is(err, archive.ErrConflict) {
			return fmt.Errorf("SetCopyTrustedUntil of a replaced file = %v, want ErrConflict", err)
		}
		return tx.SetCopyTrustedUntil(ctx, "cr0", archive.RefOf([]byte{0}), t0.Add(30*time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := renewalPages(t, c.CopiesToRenew, t0, before, 1), "[cr2 1h0m0s]"; got != want {
		t.Fatalf("CopiesToRenew after renewal: %s, want %s", got, want)
	}
	if got, err := c.CopyByCode(ctx, "CODE-1"); err != nil || !got.TrustedUntil.Equal(t0.Add(72*time.Hour)) {
		t.Fatalf("renewed copy trusted until %v, %v", got.TrustedUntil, err)
	}
}

// renewalPages reads every key due by before, limit at a time, and prints
// each as its ID and its trust after t0 ("-": not known), so the order
// shows.
func renewalPages(t *testing.T, list func(context.Context, time.Time, archive.RenewalKey, int) ([]archive.RenewalKey, error),
	t0, before time.Time, limit int) string {
	t.Helper()
	var out []string
	after := archive.RenewalKey{}
	for pages := 0; ; pages++ {
		keys, err := list(context.Background(), before, after, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) > limit || pages > 100 {
			t.Fatalf("page of %d keys, limit %d (page %d)", len(keys), limit, pages)
		}
		if len(keys) == 0 {
			return fmt.Sprint(out)
		}
		for _, k := range keys {
			until := "-"
			if !k.TrustedUntil.IsZero() {
				until = k.TrustedUntil.Sub(t0).String()
			}
			out = append(out, k.ID, until)
		}
		after = keys[len(keys)-1]
	}
}
