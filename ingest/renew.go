package ingest

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/khoso-vn/khoso/archive"
)

// DefaultRenewMargin is how long before a timestamp's TSA certificate (or
// its algorithm) expires a result gets a new document timestamp.
const DefaultRenewMargin = 180 * 24 * time.Hour

// renewPage is how many due results or copies a sweep reads, and enqueues
// in one transaction, at a time.
const renewPage = 200

// renewPriority puts renewals behind the pipeline's own signing on the
// signing queue: a renewal is due months ahead, a clerk waits for a batch.
const renewPriority = 4

// unfinished are the job states in which a unique job blocks another with
// the same arguments; a completed, cancelled or discarded one does not.
var unfinished = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled}

// RenewArgs asks to find the results whose newest timestamp needs renewing
// and to enqueue one RenewRecordArgs for each. It runs periodically (see
// RenewPeriodicJob).
type RenewArgs struct{}

// Kind implements river.JobArgs.
func (RenewArgs) Kind() string { return "renew_timestamps" }

// InsertOpts implements river.JobArgsWithInsertOpts: the sweep only reads
// the catalog and enqueues, so it takes the I/O queue; one at a time, and a
// finished one does not block the next.
func (RenewArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueIO, MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: unfinished}}
}

// RenewPeriodicJob enqueues RenewArgs every day, and once at start.
func RenewPeriodicJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return RenewArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// RenewWorker sweeps the catalog for the available results due for
// renewal: those whose newest timestamp is trusted until less than
// RenewMargin from now (the catalog keeps that date with each result), and
// those whose date is not known yet (results stored before it was kept).
// It reads only those, by pages, and enqueues a RenewRecordArgs for each,
// so that each result is renewed, and retried when it fails, on its own.
// Running it twice enqueues nothing twice: the renewal jobs are unique
// while unfinished.
type RenewWorker struct {
	river.WorkerDefaults[RenewArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *RenewWorker) Work(ctx context.Context, job *river.Job[RenewArgs]) error {
	n, err := w.p.sweep(ctx, w.p.Catalog.RecordsToRenew, func(id string) river.JobArgs { return RenewRecordArgs{RecordID: id} })
	river.RecordOutput(ctx, map[string]int{"due": n})
	return err
}

// listDueFunc is Catalog.RecordsToRenew or Catalog.CopiesToRenew.
type listDueFunc func(ctx context.Context, before time.Time, after archive.RenewalKey, limit int) ([]archive.RenewalKey, error)

// sweep enqueues job(id) for every row list says is due for renewal now,
// renewPage at a time, and returns how many it found. The date is taken
// once, so rows renewed meanwhile do not come back in the same sweep.
func (p *pipeline) sweep(ctx context.Context, list listDueFunc, job func(id string) river.JobArgs) (int, error) {
	before := p.now().Add(p.RenewMargin)
	after, n := archive.RenewalKey{}, 0
	for {
		keys, err := list(ctx, before, after, renewPage)
		if err != nil || len(keys) == 0 {
			return n, err
		}
		err = p.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
			for _, k := range keys {
				if err := p.Enqueue(ctx, tx, job(k.ID)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		n += len(keys)
		if len(keys) < renewPage {
			return n, nil
		}
		after = keys[len(keys)-1]
	}
}
