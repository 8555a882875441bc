package ingest

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// RenewCopiesArgs asks to find the certified copies whose newest timestamp
// needs renewing and to enqueue one RenewCopyArgs for each, as RenewArgs
// does for results. It runs periodically (see RenewCopiesPeriodicJob),
// apart from the results' sweep so that a fault in one does not hold up
// the other.
type RenewCopiesArgs struct{}

// Kind implements river.JobArgs.
func (RenewCopiesArgs) Kind() string { return "renew_copy_timestamps" }

// InsertOpts implements river.JobArgsWithInsertOpts: the I/O queue, one at
// a time, as RenewArgs.
func (RenewCopiesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueIO, MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: unfinished}}
}

// RenewCopiesPeriodicJob enqueues RenewCopiesArgs every day, and once at
// start.
func RenewCopiesPeriodicJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return RenewCopiesArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// RenewCopiesWorker sweeps the catalog for the copies due for renewal
// (trusted until less than RenewMargin from now, or not known yet), reading
// only those, and enqueues a RenewCopyArgs for each.
type RenewCopiesWorker struct {
	river.WorkerDefaults[RenewCopiesArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *RenewCopiesWorker) Work(ctx context.Context, job *river.Job[RenewCopiesArgs]) error {
	n, err := w.p.sweep(ctx, w.p.Catalog.CopiesToRenew, func(id string) river.JobArgs { return RenewCopyArgs{CopyID: id} })
	river.RecordOutput(ctx, map[string]int{"due": n})
	return err
}

// Timeout implements river.Worker.
func (w *RenewCopiesWorker) Timeout(*river.Job[RenewCopiesArgs]) time.Duration { return w.p.JobTimeout }
