package ingest

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
)

// StoreArgs asks to commit a signed record as the kept result.
type StoreArgs struct {
	RecordID string `json:"record_id"`
}

// Kind implements river.JobArgs.
func (StoreArgs) Kind() string { return "store" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (StoreArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueIO, MaxAttempts: maxAttempts}
}

// StoreWorker makes the signed PDF the record's kept result: it re-reads
// the stored object from the blob store and checks its SHA-256 against its
// address before recording its size (and, where the store keeps versions,
// the version ID every later read uses), so a result is never declared kept
// on the word of a write alone.
type StoreWorker struct {
	river.WorkerDefaults[StoreArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *StoreWorker) Work(ctx context.Context, job *river.Job[StoreArgs]) error {
	return w.p.advance(ctx, job.JobRow, "store", job.Args.RecordID, archive.StatusSigned, w.store)
}

func (w *StoreWorker) store(ctx context.Context, r *archive.Record) (river.JobArgs, error) {
	if err := archive.Check(ctx, w.p.Blobs, r.Result); err != nil {
		return nil, err
	}
	size, err := w.p.Blobs.Stat(ctx, r.Result)
	if err != nil {
		return nil, err
	}
	if v, ok := w.p.Blobs.(archive.Versioner); ok {
		if r.ResultVersion, err = v.Version(ctx, r.Result); err != nil {
			return nil, err
		}
	}
	r.Size, r.Status = size, archive.StatusStored
	return IndexArgs{RecordID: r.ID}, nil
}
