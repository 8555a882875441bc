package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/signing"
	"github.com/khoso-vn/khoso/signing/signingtest"
)

// BenchmarkRenewal times one renewal of results at 10,000 and 100,000
// results of which 20 are due (real signed results near their TSA
// certificate's end; the others share one real signed result whose TSA
// certificate ends 50 minutes later, not yet due): "sweep", the daily job
// as it is (list the due rows from the catalog, enqueue one renew_record job
// each, and those jobs renewing the 20), against "walk", the job it
// replaced (every record read, then its file read and its time-stamps
// parsed, the 20 renewed in the same loop), kept here only to compare.
// Reported: sweep-ms and find-ms, the time to find the 20 without the
// renewals. Figures and the command are in BENCHMARKS.md.
func BenchmarkRenewal(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("results=%d", n), func(b *testing.B) { benchmarkRenewal(b, n) })
	}
}

func benchmarkRenewal(b *testing.B, n int) {
	{
		rb := setupRenewal(b)
		ctx := context.Background()
		filler := longTrusted(b)
		fillerRef, err := archive.PutBytes(ctx, rb.blobs, filler)
		if err != nil {
			b.Fatal(err)
		}
		fillerUntil, _, err := signing.TrustedUntil(filler)
		if err != nil {
			b.Fatal(err)
		}
		real := map[int][]byte{}
		for i := range 20 {
			real[i*(n/20)+3] = rb.signedResult(b, i)
		}
		ids := rb.insertWith(b, "bench", n, fillerRef, fillerUntil, real, nil)
		dueUntil, _, err := signing.TrustedUntil(real[3])
		if err != nil || !fillerUntil.After(dueUntil.Add(40*time.Minute)) {
			b.Fatalf("the stand-in is trusted until %v, the due results until %v (%v)", fillerUntil, dueUntil, err)
		}
		// The clock: 25 minutes past when the 20 are due, the others not.
		rb.offset.Store(int64(dueUntil.Add(-ingest.DefaultRenewMargin + 25*time.Minute).Sub(time.Now())))
		reset := func(b *testing.B) {
			b.StopTimer()
			defer b.StartTimer()
			rb.restore(b, ids, real)
		}
		b.Run("sweep", func(b *testing.B) {
			var sweep time.Duration
			for b.Loop() {
				reset(b)
				rb.sweep(b)
				sweep += rb.lastSweep(b)
			}
			b.ReportMetric(float64(sweep.Milliseconds())/float64(b.N), "sweep-ms")
		})
		b.Run("walk", func(b *testing.B) {
			var find time.Duration
			for b.Loop() {
				reset(b)
				f, renewed, err := rb.oldWalk(ctx)
				if err != nil || renewed != len(real) {
					b.Fatalf("the walk renewed %d, want %d: %v", renewed, len(real), err)
				}
				find += f
			}
			b.ReportMetric(float64(find.Milliseconds())/float64(b.N), "find-ms")
		})
	}
}

// restore gives the due records new signed results, as due as the first
// ones (a renewal keeps the file it replaced in the record's history, once).
func (rb *renewalBundle) restore(b *testing.B, ids []string, real map[int][]byte) {
	ctx := context.Background()
	fresh := map[int][]byte{}
	for i := range real {
		fresh[i] = rb.signedResult(b, i)
	}
	err := rb.catalog.Update(ctx, func(tx archive.CatalogTx) error {
		for i, pdf := range fresh {
			r, err := tx.Record(ctx, ids[i])
			if err != nil {
				return err
			}
			if r.Result, err = archive.PutBytes(ctx, rb.blobs, pdf); err != nil {
				return err
			}
			if r.ResultTrustedUntil, _, err = signing.TrustedUntil(pdf); err != nil {
				return err
			}
			if err := tx.UpdateRecord(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// lastSweep is how long the newest results' sweep job ran.
func (rb *renewalBundle) lastSweep(b *testing.B) time.Duration {
	jobs := rb.jobs(b, ingest.RenewArgs{}.Kind())
	var last time.Duration
	for _, j := range jobs {
		if j.AttemptedAt != nil && j.FinalizedAt != nil {
			last = j.FinalizedAt.Sub(*j.AttemptedAt)
		}
	}
	return last
}

// oldWalk is the renewal as it was before the catalog kept each result's
// date: every record listed, each available one read with its file, its
// time-stamps parsed, and renewed when due. It returns how long finding
// took (the whole minus the renewals) and how many it renewed.
func (rb *renewalBundle) oldWalk(ctx context.Context) (time.Duration, int, error) {
	start := time.Now()
	var ids []string
	err := rb.catalog.Records(ctx, func(r *archive.Record) error {
		if r.Status == archive.StatusAvailable {
			ids = append(ids, r.ID)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	var renewing time.Duration
	renewed := 0
	for _, id := range ids {
		r, err := rb.catalog.Record(ctx, id)
		if err != nil {
			return 0, 0, err
		}
		pdf, err := archive.ReadAll(ctx, rb.blobs, r.Result)
		if err != nil {
			return 0, 0, err
		}
		need, reason, err := signing.NeedsRenewal(pdf, time.Now().Add(time.Duration(rb.offset.Load())),
			ingest.DefaultRenewMargin)
		if err != nil || !need {
			if err != nil {
				return 0, 0, err
			}
			continue
		}
		t := time.Now()
		if err := rb.renewOld(ctx, r, pdf, reason); err != nil {
			return 0, 0, err
		}
		renewing += time.Since(t)
		renewed++
	}
	return time.Since(start) - renewing, renewed, nil
}

// renewOld renews one result as the old walk did.
func (rb *renewalBundle) renewOld(ctx context.Context, r *archive.Record, pdf []byte, reason string) error {
	renewed, err := rb.signer.Archive(ctx, pdf)
	if err != nil {
		return err
	}
	ref, err := archive.PutBytes(ctx, rb.blobs, renewed)
	if err != nil {
		return err
	}
	old := r.Result
	r.Result, r.Size = ref, int64(len(renewed))
	return rb.catalog.Update(ctx, func(tx archive.CatalogTx) error {
		cur, err := tx.Record(ctx, r.ID)
		if err != nil {
			return err
		}
		if cur.Result != old {
			return errors.New("result changed meanwhile")
		}
		return tx.ReplaceResult(ctx, r, old, "", reason)
	})
}

// longTrusted returns a signed PDF whose time-stamp's TSA certificate ends
// 50 minutes after the test bundle's: a development identity made as if 50
// minutes from now (its certificates start an hour before that).
func longTrusted(b *testing.B) []byte {
	dev, err := signing.EnsureDevelopmentIdentity(b.TempDir(), "Sở Tài nguyên và Môi trường", time.Now().Add(50*time.Minute))
	if err != nil {
		b.Fatal(err)
	}
	tsa, err := signing.NewTSA(dev.TSA, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(tsa)
	b.Cleanup(srv.Close)
	sg, err := signing.NewSigner(signing.Config{Identity: dev.Agency, TSAURL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	signed, err := sg.Sign(context.Background(), signingtest.MinimalPDF("Giay phep"))
	if err != nil {
		b.Fatal(err)
	}
	return signed
}
