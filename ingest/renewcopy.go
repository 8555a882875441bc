package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/signing"
)

// RenewCopyArgs asks to renew one certified copy's archive timestamp if it
// needs it, and to record until when it is trusted either way.
type RenewCopyArgs struct {
	CopyID string `json:"copy_id"`
}

// Kind implements river.JobArgs.
func (RenewCopyArgs) Kind() string { return "renew_copy" }

// InsertOpts implements river.JobArgsWithInsertOpts: as RenewRecordArgs.
func (RenewCopyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueSign, Priority: renewPriority, MaxAttempts: maxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: unfinished}}
}

// RenewCopyWorker adds a new document timestamp to a copy whose newest
// timestamp nears the expiry of its TSA certificate or of its algorithm
// (signing.NeedsRenewal), stores the new file and keeps the replaced one in
// the copy's history, so that /verify/{code} finds both genuine; a copy
// not yet due only has its date recorded. A fault fails this job alone.
type RenewCopyWorker struct {
	river.WorkerDefaults[RenewCopyArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *RenewCopyWorker) Work(ctx context.Context, job *river.Job[RenewCopyArgs]) error {
	id := job.Args.CopyID
	c, err := w.p.Catalog.Copy(ctx, id)
	if errors.Is(err, archive.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	pdf, err := archive.ReadAll(ctx, w.p.Blobs, c.Result)
	if err != nil {
		return fmt.Errorf("ingest: renew copy %s: %w", id, err)
	}
	until, reason, err := signing.TrustedUntil(pdf)
	if err != nil {
		return fmt.Errorf("ingest: renew copy %s: %w", id, err)
	}
	if !signing.RenewalDue(until, w.p.now(), w.p.RenewMargin) {
		if until.Equal(c.TrustedUntil) {
			return nil
		}
		err := w.p.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
			return tx.SetCopyTrustedUntil(ctx, id, c.Result, until)
		})
		if errors.Is(err, archive.ErrConflict) {
			return nil // replaced meanwhile, with its own date
		}
		return err
	}
	f, err := w.p.renewFile(ctx, pdf)
	if err != nil {
		return fmt.Errorf("ingest: renew copy %s: %w", id, err)
	}
	err = w.p.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		cur, err := tx.Copy(ctx, id)
		if err != nil {
			return err
		}
		if cur.Result != c.Result {
			return errors.New("copy changed meanwhile") // retried by River
		}
		old, oldVersion := cur.Result, cur.Version
		cur.Result, cur.Version, cur.Size, cur.TrustedUntil = f.ref, f.version, f.size, f.until
		return tx.ReplaceCopyResult(ctx, cur, old, oldVersion, reason)
	})
	if err != nil {
		return fmt.Errorf("ingest: renew copy %s: %w", id, err)
	}
	return nil
}
