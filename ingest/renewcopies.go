package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/signing"
)

// RenewCopiesArgs asks to renew the archive timestamps of every certified
// copy that needs it, as RenewArgs does for results. It runs periodically
// (see RenewCopiesPeriodicJob), apart from the results' renewal so that a
// fault in one does not hold up the other.
type RenewCopiesArgs struct{}

// Kind implements river.JobArgs.
func (RenewCopiesArgs) Kind() string { return "renew_copy_timestamps" }

// InsertOpts implements river.JobArgsWithInsertOpts: the signing queue, one
// at a time, as RenewArgs.
func (RenewCopiesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueSign, MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// RenewCopiesPeriodicJob enqueues RenewCopiesArgs every day, and once at
// start.
func RenewCopiesPeriodicJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return RenewCopiesArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// RenewCopiesWorker adds a new document timestamp to each copy whose newest
// timestamp nears the expiry of its TSA certificate or of its algorithm
// (signing.NeedsRenewal), stores the new file and keeps the replaced one in
// the copy's history, so that /verify/{code} finds both genuine.
type RenewCopiesWorker struct {
	river.WorkerDefaults[RenewCopiesArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *RenewCopiesWorker) Work(ctx context.Context, job *river.Job[RenewCopiesArgs]) error {
	var codes []string
	if err := w.p.Catalog.AllCopies(ctx, func(c *archive.Copy) error {
		codes = append(codes, c.Code)
		return nil
	}); err != nil {
		return err
	}
	renewed := 0
	for _, code := range codes {
		ok, err := w.renew(ctx, code)
		if err != nil {
			return fmt.Errorf("ingest: renew copy %s: %w", code, err)
		}
		if ok {
			renewed++
		}
	}
	river.RecordOutput(ctx, map[string]int{"checked": len(codes), "renewed": renewed})
	return nil
}

// Timeout implements river.Worker.
func (w *RenewCopiesWorker) Timeout(*river.Job[RenewCopiesArgs]) time.Duration { return w.p.JobTimeout }

// renew renews one copy when it needs it.
func (w *RenewCopiesWorker) renew(ctx context.Context, code string) (bool, error) {
	c, err := w.p.Catalog.CopyByCode(ctx, code)
	if err != nil {
		return false, err
	}
	pdf, err := archive.ReadAll(ctx, w.p.Blobs, c.Result)
	if err != nil {
		return false, err
	}
	need, reason, err := signing.NeedsRenewal(pdf, w.p.now(), w.p.RenewMargin)
	if err != nil || !need {
		return false, err
	}
	renewed, err := w.p.Signer.Archive(ctx, pdf)
	if err != nil {
		return false, err
	}
	ref, err := archive.PutBytes(ctx, w.p.Blobs, renewed)
	if err != nil {
		return false, err
	}
	old, oldVersion := c.Result, c.Version
	c.Result, c.Size, c.Version = ref, int64(len(renewed)), ""
	if v, ok := w.p.Blobs.(archive.Versioner); ok {
		if c.Version, err = v.Version(ctx, ref); err != nil {
			return false, err
		}
	}
	return true, w.p.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		cur, err := tx.CopyByCode(ctx, code)
		if err != nil {
			return err
		}
		if cur.Result != old {
			return errors.New("copy changed meanwhile") // retried by River
		}
		return tx.ReplaceCopyResult(ctx, c, old, oldVersion, reason)
	})
}
