package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/localdisk"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/signing"
	"github.com/khoso-vn/khoso/signing/signingtest"
)

// countingCatalog counts what the pipeline asks of the catalog.
type countingCatalog struct {
	archive.Catalog
	reads  atomic.Int64 // Record, Copy, CopyByCode
	walks  atomic.Int64 // Records, AllCopies: every row
	listed atomic.Int64 // keys RecordsToRenew and CopiesToRenew returned
}

func (c *countingCatalog) Record(ctx context.Context, id string) (*archive.Record, error) {
	c.reads.Add(1)
	return c.Catalog.Record(ctx, id)
}

func (c *countingCatalog) Copy(ctx context.Context, id string) (*archive.Copy, error) {
	c.reads.Add(1)
	return c.Catalog.Copy(ctx, id)
}

func (c *countingCatalog) CopyByCode(ctx context.Context, code string) (*archive.Copy, error) {
	c.reads.Add(1)
	return c.Catalog.CopyByCode(ctx, code)
}

func (c *countingCatalog) Records(ctx context.Context, fn func(*archive.Record) error) error {
	c.walks.Add(1)
	return c.Catalog.Records(ctx, fn)
}

func (c *countingCatalog) AllCopies(ctx context.Context, fn func(*archive.Copy) error) error {
	c.walks.Add(1)
	return c.Catalog.AllCopies(ctx, fn)
}

func (c *countingCatalog) RecordsToRenew(ctx context.Context, before time.Time, after archive.RenewalKey, limit int) ([]archive.RenewalKey, error) {
	keys, err := c.Catalog.RecordsToRenew(ctx, before, after, limit)
	c.listed.Add(int64(len(keys)))
	return keys, err
}

func (c *countingCatalog) CopiesToRenew(ctx context.Context, before time.Time, after archive.RenewalKey, limit int) ([]archive.RenewalKey, error) {
	keys, err := c.Catalog.CopiesToRenew(ctx, before, after, limit)
	c.listed.Add(int64(len(keys)))
	return keys, err
}

// nearTSAExpiry is a clock offset at which a time-stamp of the development
// TSA (its certificate lasts three years) is within the renewal margin.
const nearTSAExpiry = 3*365*24*time.Hour - 30*24*time.Hour

// renewalBundle is a pipeline on a clock the test moves, its catalog
// counted.
type renewalBundle struct {
	*testBundle
	offset  *atomic.Int64
	counted *countingCatalog
}

func setupRenewal(tb testing.TB) *renewalBundle {
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	var counted *countingCatalog
	b := setupWrapped(tb, now, func(c archive.Catalog) archive.Catalog {
		counted = &countingCatalog{Catalog: c}
		return counted
	})
	return &renewalBundle{testBundle: b, offset: &offset, counted: counted}
}

// signedResult returns a real signed result: a one-page PDF signed by the
// agency with a time-stamp, validation data and a document time-stamp.
func (b *renewalBundle) signedResult(tb testing.TB, n int) []byte {
	tb.Helper()
	ctx := context.Background()
	signed, err := b.signer.Sign(ctx, signingtest.MinimalPDF(fmt.Sprintf("Giấy phép số %d", n)))
	if err != nil {
		tb.Fatal(err)
	}
	final, err := b.signer.Archive(ctx, signed)
	if err != nil {
		tb.Fatal(err)
	}
	return final
}

// standIn is the result of the records a test does not renew: never
// stored, trusted for ten more years.
var standIn = archive.RefOf([]byte("a result trusted for long"))

// insertResults puts n available records straight into the catalog, in
// one transaction: record i has the result real[i] when there is one
// (stored, with the date signing.TrustedUntil gives unless unknown[i]),
// else standIn. It returns their IDs.
func (b *renewalBundle) insertResults(tb testing.TB, batch string, n int, real map[int][]byte, unknown map[int]bool) []string {
	return b.insertWith(tb, batch, n, standIn, time.Now().AddDate(10, 0, 0), real, unknown)
}

// insertWith is insertResults with filler (trusted until far) as the
// result of the records not in real.
func (b *renewalBundle) insertWith(tb testing.TB, batch string, n int, filler archive.Ref, far time.Time, real map[int][]byte,
	unknown map[int]bool) []string {
	tb.Helper()
	ctx := context.Background()
	err := b.catalog.Update(ctx, func(tx archive.CatalogTx) error {
		return tx.CreateBatch(ctx, &archive.Batch{ID: batch, Agency: testAgency})
	})
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([]string, n)
	for from := 0; from < n; from += 5000 { // short transactions: the queue shares the one SQLite connection
		err := b.catalog.Update(ctx, func(tx archive.CatalogTx) error {
			for i := from; i < min(from+5000, n); i++ {
				r := &archive.Record{ID: fmt.Sprintf("%s-%06d", batch, i), BatchID: batch, Agency: testAgency, Row: i + 2,
					Status: archive.StatusAvailable, Result: filler, Size: 1, ResultTrustedUntil: far,
					Meta: archive.Metadata{DocName: "Giấy phép khai thác nước", Number: fmt.Sprintf("%d/GP-UBND", i), HolderName: "Hồ Văn Bảy"}}
				if pdf, ok := real[i]; ok {
					ref, err := archive.PutBytes(ctx, b.blobs, pdf)
					if err != nil {
						return err
					}
					r.Result, r.Size, r.ResultTrustedUntil = ref, int64(len(pdf)), time.Time{}
					if !unknown[i] {
						if r.ResultTrustedUntil, _, err = signing.TrustedUntil(pdf); err != nil {
							return err
						}
					}
				}
				if err := tx.CreateRecord(ctx, r); err != nil {
					return err
				}
				ids[i] = r.ID
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return ids
}

// sweep runs the results' sweep and waits for the renewals it enqueued.
func (b *renewalBundle) sweep(tb testing.TB) {
	tb.Helper()
	if _, err := b.client.Insert(context.Background(), ingest.RenewArgs{}, nil); err != nil {
		tb.Fatal(err)
	}
	b.waitIdle(tb)
}

// renewJobs returns the renew_record jobs by record ID.
func (b *renewalBundle) renewJobs(tb testing.TB) map[string]*rivertype.JobRow {
	tb.Helper()
	res, err := b.client.JobList(context.Background(), river.NewJobListParams().Kinds("renew_record").First(10000))
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]*rivertype.JobRow{}
	for _, j := range res.Jobs {
		var args ingest.RenewRecordArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			tb.Fatal(err)
		}
		if out[args.RecordID] != nil {
			tb.Errorf("two renew_record jobs for %s", args.RecordID)
		}
		out[args.RecordID] = j
	}
	return out
}

// requireRenewed checks that record id's result was replaced by one with a
// new document time-stamp that the signing package's verifier finds valid,
// the replaced one kept in its history.
func (b *renewalBundle) requireRenewed(tb testing.TB, id string, old []byte) {
	tb.Helper()
	ctx := context.Background()
	r, err := b.catalog.Record(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	if r.Result == archive.RefOf(old) {
		tb.Fatalf("record %s was not renewed", id)
	}
	pdf, err := archive.ReadAll(ctx, b.blobs, r.Result)
	if err != nil {
		tb.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, old) {
		tb.Errorf("record %s: the renewed result does not extend the old one", id)
	}
	before, err := signing.Verify(old, b.roots)
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := signing.Verify(pdf, b.roots)
	if err != nil {
		tb.Fatal(err)
	}
	last := rep.Signatures[len(rep.Signatures)-1]
	if !rep.Valid || len(rep.Signatures) != len(before.Signatures)+1 || !last.DocumentTimestamp || !last.Valid {
		tb.Fatalf("record %s renewed: valid=%v, %d signatures (before %d), last %+v\n%s", id, rep.Valid,
			len(rep.Signatures), len(before.Signatures), last, rep.Text())
	}
	until, _, err := signing.TrustedUntil(pdf)
	if err != nil || !r.ResultTrustedUntil.Equal(until) {
		tb.Errorf("record %s trusted until %v, want %v (%v)", id, r.ResultTrustedUntil, until, err)
	}
	if recs, err := b.catalog.RecordsByResult(ctx, archive.RefOf(old)); err != nil || len(recs) != 1 || recs[0].ID != id {
		tb.Errorf("the replaced result no longer names record %s: %v, %v", id, recs, err)
	}
}

// TestRenewalSweepReadsOnlyDue: of 10,000 results in the catalog, 20 are
// due; the sweep never walks the catalog, lists those 20, enqueues one
// renewal each, and each of them, and nothing else, gets a new document
// time-stamp that verifies.
func TestRenewalSweepReadsOnlyDue(t *testing.T) {
	t.Parallel()
	b := setupRenewal(t)
	const n, due = 10000, 20
	real := map[int][]byte{}
	for i := range due {
		real[i*(n/due)+7] = b.signedResult(t, i)
	}
	ids := b.insertResults(t, "big", n, real, nil)
	b.offset.Store(int64(nearTSAExpiry))
	b.counted.reads.Store(0)
	b.sweep(t)

	if w := b.counted.walks.Load(); w != 0 {
		t.Errorf("the sweep walked every row %d times", w)
	}
	if l := b.counted.listed.Load(); l != due {
		t.Errorf("the sweep listed %d results, want %d", l, due)
	}
	if r := b.counted.reads.Load(); r != due {
		t.Errorf("the renewals read %d records, want %d", r, due)
	}
	jobs := b.renewJobs(t)
	if len(jobs) != due {
		t.Errorf("%d renew_record jobs, want %d", len(jobs), due)
	}
	for i, old := range real {
		j := jobs[ids[i]]
		if j == nil || j.State != rivertype.JobStateCompleted || j.Attempt != 1 {
			t.Errorf("renewal of %s: %+v, want completed at the first attempt", ids[i], j)
			continue
		}
		b.requireRenewed(t, ids[i], old)
	}
	for _, i := range []int{0, 1, n / 2, n - 1} {
		if r, err := b.catalog.Record(context.Background(), ids[i]); err != nil || r.Result != standIn {
			t.Errorf("record %s not due, after the sweep: %+v, %v", ids[i], r, err)
		}
	}
}

// TestRenewalFailureRetriedAlone: one due result's file is missing; its
// renewal fails and is retried on its own while the other due results are
// renewed, and it succeeds once the file is back.
func TestRenewalFailureRetriedAlone(t *testing.T) {
	t.Parallel()
	b := setupRenewal(t)
	real := map[int][]byte{}
	for i := range 5 {
		real[i*10] = b.signedResult(t, i)
	}
	ids := b.insertResults(t, "fail", 50, real, nil)
	disk := b.blobs.(*localdisk.Store)
	lost := disk.Path(archive.RefOf(real[20]))
	if err := os.Rename(lost, lost+".away"); err != nil {
		t.Fatal(err)
	}
	b.offset.Store(int64(nearTSAExpiry))
	if _, err := b.client.Insert(context.Background(), ingest.RenewArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	var failing *rivertype.JobRow
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		jobs := b.renewJobs(t)
		done := 0
		for _, i := range []int{0, 10, 30, 40} {
			if j := jobs[ids[i]]; j != nil && j.State == rivertype.JobStateCompleted {
				done++
			}
		}
		if failing = jobs[ids[20]]; done == 4 && failing != nil && len(failing.Errors) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %d of 4 renewed, the failing one %+v", done, failing)
		}
	}
	if failing.State == rivertype.JobStateCompleted || failing.State == rivertype.JobStateDiscarded ||
		failing.State == rivertype.JobStateCancelled {
		t.Fatalf("the renewal of a missing file is %s, want it waiting to be retried", failing.State)
	}
	for _, i := range []int{0, 10, 30, 40} {
		b.requireRenewed(t, ids[i], real[i])
	}
	for _, j := range b.jobs(t, "renew_timestamps") {
		if j.State != rivertype.JobStateCompleted {
			t.Errorf("the sweep is %s, want completed: one result's fault is its own", j.State)
		}
	}
	if err := os.Rename(lost+".away", lost); err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t)
	if j := b.renewJobs(t)[ids[20]]; j.State != rivertype.JobStateCompleted || j.Attempt < 2 {
		t.Fatalf("the renewal of the file put back: %s after %d attempts, want completed on a retry", j.State, j.Attempt)
	}
	b.requireRenewed(t, ids[20], real[20])
}

// TestRenewalLearnsUnknownTrust: results stored before the catalog kept
// until when they are trusted are read once, their date recorded and
// their file left alone when not due; the next sweep does not read them.
func TestRenewalLearnsUnknownTrust(t *testing.T) {
	t.Parallel()
	b := setupRenewal(t)
	real, unknown := map[int][]byte{}, map[int]bool{}
	for i := range 3 {
		real[i], unknown[i] = b.signedResult(t, i), true
	}
	ids := b.insertResults(t, "old", 10, real, unknown)
	b.sweep(t)
	for i, pdf := range real {
		r, err := b.catalog.Record(context.Background(), ids[i])
		if err != nil {
			t.Fatal(err)
		}
		want, _, _ := signing.TrustedUntil(pdf)
		if r.Result != archive.RefOf(pdf) || !r.ResultTrustedUntil.Equal(want) {
			t.Errorf("record %s after the sweep: result %s trusted until %v; want unchanged, trusted until %v",
				ids[i], r.Result, r.ResultTrustedUntil, want)
		}
	}
	if got := len(b.renewJobs(t)); got != 3 {
		t.Errorf("%d renew_record jobs, want 3", got)
	}
	b.counted.listed.Store(0)
	b.sweep(t)
	if l, got := b.counted.listed.Load(), len(b.renewJobs(t)); l != 0 || got != 3 {
		t.Errorf("the second sweep listed %d results and left %d renew_record jobs; want 0 and still 3", l, got)
	}
}
