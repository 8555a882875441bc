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

// DefaultRenewMargin is how long before a timestamp's TSA certificate (or
// its algorithm) expires a result gets a new document timestamp.
const DefaultRenewMargin = 180 * 24 * time.Hour

// RenewArgs asks to renew the archive timestamps of every result that
// needs it. It runs periodically (see RenewPeriodicJob).
type RenewArgs struct{}

// Kind implements river.JobArgs.
func (RenewArgs) Kind() string { return "renew_timestamps" }

// InsertOpts implements river.JobArgsWithInsertOpts: renewals use the
// signing queue, as they ask the TSA and sign with the agency key.
func (RenewArgs) InsertOpts() river.InsertOpts {
	// One renewal at a time; a finished one does not block the next.
	return river.InsertOpts{Queue: QueueSign, MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// RenewPeriodicJob enqueues RenewArgs every day, and once at start.
func RenewPeriodicJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return RenewArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// RenewWorker adds a new document timestamp (an archive timestamp, PAdES
// B-LTA) to each available result whose newest timestamp nears the expiry
// of its TSA certificate or of its algorithm, keeps the previous result in
// the record's history and records the reason.
type RenewWorker struct {
	river.WorkerDefaults[RenewArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *RenewWorker) Work(ctx context.Context, job *river.Job[RenewArgs]) error {
	var due []string
	err := w.p.Catalog.Records(ctx, func(r *archive.Record) error {
		if r.Status == archive.StatusAvailable {
			due = append(due, r.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	renewed := 0
	for _, id := range due {
		ok, err := w.renew(ctx, id)
		if err != nil {
			return fmt.Errorf("ingest: renew %s: %w", id, err)
		}
		if ok {
			renewed++
		}
	}
	river.RecordOutput(ctx, map[string]int{"checked": len(due), "renewed": renewed})
	return nil
}

// renew renews one record's result when it needs it.
func (w *RenewWorker) renew(ctx context.Context, id string) (bool, error) {
	r, err := w.p.Catalog.Record(ctx, id)
	if err != nil {
		return false, err
	}
	pdf, err := archive.ReadAll(ctx, w.p.Blobs, r.Result)
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
	old, oldVersion := r.Result, r.ResultVersion
	r.Result, r.Size, r.ResultVersion = ref, int64(len(renewed)), ""
	if v, ok := w.p.Blobs.(archive.Versioner); ok {
		if r.ResultVersion, err = v.Version(ctx, ref); err != nil {
			return false, err
		}
	}
	err = w.p.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		cur, err := tx.Record(ctx, id)
		if err != nil {
			return err
		}
		if cur.Result != old {
			return errors.New("result changed meanwhile") // retried by River
		}
		return tx.ReplaceResult(ctx, r, old, oldVersion, reason)
	})
	if err != nil {
		return false, err
	}
	if w.p.Index != nil {
		return true, w.p.Index.PutDoc(w.p.indexDoc(r))
	}
	return true, nil
}
