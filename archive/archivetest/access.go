package archivetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

func testShares(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	recs := mustCreate(t, c, "sh", 3)
	byHolder, err := c.RecordsByHolder(ctx, "001088012345")
	if err != nil || len(byHolder) != 3 || byHolder[0].Agency != "BTNMT" {
		t.Fatalf("RecordsByHolder = %d records, %v; want 3 of agency BTNMT", len(byHolder), err)
	}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	live := &archive.Share{ID: "s1", RecordID: recs[0].ID, HolderID: "001088012345", Agency: "UBND-HN",
		DossierCode: "H12.1-261101-0001", Until: now.Add(48 * time.Hour)}
	old := &archive.Share{ID: "s2", RecordID: recs[1].ID, HolderID: "001088012345", Agency: "UBND-HN",
		DossierCode: "H12.1-250101-0002", Until: now.Add(-time.Hour)}
	revoked := &archive.Share{ID: "s3", RecordID: recs[2].ID, HolderID: "001088012345", Agency: "UBND-HN",
		DossierCode: "H12.1-261101-0003", Until: now.Add(48 * time.Hour)}
	err = c.Update(ctx, func(tx archive.CatalogTx) error {
		for _, s := range []*archive.Share{live, old, revoked} {
			if err := tx.PutShare(ctx, s); err != nil {
				return err
			}
		}
		revoked.RevokedAt = now
		return tx.PutShare(ctx, revoked)
	})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := c.SharedWith(ctx, "UBND-HN", now)
	if err != nil || len(ids) != 1 || ids[0] != recs[0].ID {
		t.Fatalf("SharedWith = %v, %v; want only %s (one expired, one revoked)", ids, err, recs[0].ID)
	}
	if ids, _ := c.SharedWith(ctx, "OTHER", now); len(ids) != 0 {
		t.Fatalf("SharedWith(other agency) = %v", ids)
	}
	got, err := c.Share(ctx, "s3")
	if err != nil || !got.RevokedAt.Equal(now) || got.Active(now) {
		t.Fatalf("Share(s3) = %+v, %v; want revoked", got, err)
	}
	list, err := c.Shares(ctx, "001088012345")
	if err != nil || len(list) != 3 {
		t.Fatalf("Shares = %v, %v", list, err)
	}
}

func testAuditChain(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.Update(ctx, func(tx archive.CatalogTx) error {
				return tx.AppendAudit(ctx, &archive.AuditEvent{Actor: fmt.Sprint("u", i%3), Role: archive.RoleHandler,
					Action: "view", Object: fmt.Sprint("r", i), Outcome: "ok"})
			})
			if err != nil {
				t.Errorf("append: %v", err)
			}
		}()
	}
	wg.Wait()
	prev, n := "", int64(0)
	err := c.AuditEvents(ctx, 0, func(e *archive.AuditEvent) error {
		n++
		if e.Seq != n || e.PrevHash != prev || e.Hash != archive.AuditHash(prev, e) {
			return fmt.Errorf("entry %d breaks the chain: %+v", n, e)
		}
		prev = e.Hash
		return nil
	})
	if err != nil || n != 30 {
		t.Fatalf("audit chain: %d entries, %v; want 30 chained (concurrent appends must not fork it)", n, err)
	}
	testCheckpoints(t, c, prev)
}

// testCheckpoints: checkpoints read back whole, the last by LastCheckpoint,
// and a Seq is checkpointed once.
func testCheckpoints(t *testing.T, c archive.Catalog, hash30 string) {
	ctx := context.Background()
	if _, err := c.LastCheckpoint(ctx); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("LastCheckpoint of a log without checkpoints: %v, want ErrNotFound", err)
	}
	add := func(cp *archive.AuditCheckpoint) error {
		return c.Update(ctx, func(tx archive.CatalogTx) error { return tx.AddCheckpoint(ctx, cp) })
	}
	at := time.Date(2026, 12, 3, 3, 0, 0, 123456789, time.UTC)
	cp := &archive.AuditCheckpoint{Format: 2, Seq: 30, Hash: hash30, Prev: 10, Time: at, Signature: []byte{1, 2},
		Certificate: []byte{3}, Timestamp: []byte{4, 5, 6}}
	if err := add(&archive.AuditCheckpoint{Seq: 10, Hash: "h10", Time: at, Signature: []byte{7}, Certificate: []byte{8}}); err != nil {
		t.Fatal(err)
	}
	if err := add(cp); err != nil {
		t.Fatal(err)
	}
	if err := add(&archive.AuditCheckpoint{Format: 2, Seq: 30, Hash: "other", Time: at}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("second checkpoint at seq 30: %v, want ErrConflict", err)
	}
	cps, err := c.AuditCheckpoints(ctx)
	if err != nil || len(cps) != 2 || cps[0].Format != 1 || cps[0].Timestamp != nil {
		t.Fatalf("AuditCheckpoints = %+v, %v; want seq 10 of format 1 without a time-stamp, then 30", cps, err)
	}
	last, err := c.LastCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []*archive.AuditCheckpoint{&cps[1], last} {
		if got.Format != 2 || got.Seq != 30 || got.Hash != hash30 || got.Prev != 10 || !got.Time.Equal(at) ||
			string(got.Signature) != "\x01\x02" || string(got.Certificate) != "\x03" || string(got.Timestamp) != "\x04\x05\x06" {
			t.Fatalf("checkpoint read back as %+v, want %+v", got, cp)
		}
	}
}

func testCopies(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	rec := mustCreate(t, c, "cp", 1)[0]
	cp := &archive.Copy{ID: "c1", RecordID: rec.ID, Form: archive.FormTrichSao, Pages: []int{1, 3}, For: "UBND phường 5",
		Purpose: "hồ sơ cấp phép", IssuedBy: "u1", IssuedAt: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC),
		Code: "K7QF-2M9X-PV3D", Result: archive.RefOf([]byte("copy")), Version: "v1", Size: 4}
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateCopy(ctx, cp) }); err != nil {
		t.Fatal(err)
	}
	got, err := c.CopyByCode(ctx, cp.Code)
	if err != nil || got.ID != "c1" || fmt.Sprint(got.Pages) != "[1 3]" || !got.IssuedAt.Equal(cp.IssuedAt) || got.Version != "v1" {
		t.Fatalf("CopyByCode = %+v, %v", got, err)
	}
	if _, err := c.CopyByCode(ctx, "NOPE"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("CopyByCode(unknown) = %v, want ErrNotFound", err)
	}
	dup := *cp
	dup.ID = "c2"
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateCopy(ctx, &dup) }); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("CreateCopy with a used code = %v, want ErrConflict", err)
	}
	list, err := c.Copies(ctx, rec.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("Copies = %v, %v", list, err)
	}
	testCopyRenewal(t, c, cp)
}

// testCopyRenewal: a renewed copy keeps its earlier file, and both are issued.
func testCopyRenewal(t *testing.T, c archive.Catalog, cp *archive.Copy) {
	ctx := context.Background()
	first := cp.Result
	renewed := *cp
	renewed.Result, renewed.Version, renewed.Size = archive.RefOf([]byte("renewed copy")), "v2", 12
	if err := c.Update(ctx, func(tx archive.CatalogTx) error {
		return tx.ReplaceCopyResult(ctx, &renewed, first, cp.Version, "TSA certificate expires")
	}); err != nil {
		t.Fatal(err)
	}
	got, err := c.CopyByCode(ctx, cp.Code)
	if err != nil || got.Result != renewed.Result || got.Version != "v2" || got.Size != 12 || fmt.Sprint(got.Earlier) != fmt.Sprint([]archive.Ref{first}) {
		t.Fatalf("CopyByCode after renewal = %+v, %v", got, err)
	}
	if !got.Issued(first) || !got.Issued(renewed.Result) || got.Issued(archive.RefOf([]byte("other"))) {
		t.Fatalf("Issued: the original and the renewed file must be issued, nothing else")
	}
	if list, err := c.Copies(ctx, cp.RecordID); err != nil || len(list) != 1 || len(list[0].Earlier) != 1 {
		t.Fatalf("Copies after renewal = %+v, %v", list, err)
	}
	var all []string
	if err := c.AllCopies(ctx, func(x *archive.Copy) error { all = append(all, x.ID); return nil }); err != nil || fmt.Sprint(all) != "[c1]" {
		t.Fatalf("AllCopies = %v, %v", all, err)
	}
	testCopiesByResult(t, c, cp.ID, first, renewed.Result)
	missing := renewed
	missing.ID = "nope"
	if err := c.Update(ctx, func(tx archive.CatalogTx) error {
		return tx.ReplaceCopyResult(ctx, &missing, first, "", "x")
	}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("ReplaceCopyResult of a missing copy = %v, want ErrNotFound", err)
	}
}

// testCopiesByResult: a copy is found by its current file and by the file a renewal
// replaced; another file finds nothing, without an error.
func testCopiesByResult(t *testing.T, c archive.Catalog, id string, refs ...archive.Ref) {
	ctx := context.Background()
	for _, ref := range refs {
		got, err := c.CopiesByResult(ctx, ref)
		if err != nil || len(got) != 1 || got[0].ID != id || !got[0].Issued(ref) || len(got[0].Earlier) != 1 {
			t.Fatalf("CopiesByResult(%s) = %+v, %v; want copy %s with its earlier file", ref, got, err, id)
		}
	}
	if got, err := c.CopiesByResult(ctx, archive.RefOf([]byte("not a copy"))); err != nil || len(got) != 0 {
		t.Fatalf("CopiesByResult(unknown) = %+v, %v; want none, nil", got, err)
	}
}
