package ingest

import (
	"cmp"
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/search"
)

// IndexArgs asks to make a stored record findable.
type IndexArgs struct {
	RecordID string `json:"record_id"`
}

// Kind implements river.JobArgs.
func (IndexArgs) Kind() string { return "index" }

// InsertOpts implements river.JobArgsWithInsertOpts. The index queue is
// worked only by the process that owns the search index.
func (IndexArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueIndex, MaxAttempts: maxAttempts}
}

// IndexWorker puts the record's metadata in the search index and makes the
// record available.
type IndexWorker struct {
	river.WorkerDefaults[IndexArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *IndexWorker) Work(ctx context.Context, job *river.Job[IndexArgs]) error {
	return w.p.advance(ctx, job.JobRow, "index", job.Args.RecordID, archive.StatusStored, w.index)
}

func (w *IndexWorker) index(ctx context.Context, r *archive.Record) (river.JobArgs, error) {
	if w.p.Index == nil {
		return nil, fmt.Errorf("ingest: this process has no search index")
	}
	r.Status = archive.StatusAvailable
	if err := w.p.Index.PutDoc(w.p.indexDoc(r)); err != nil {
		return nil, err
	}
	return nil, nil
}

// ReindexArgs asks to index an available record again after its metadata
// changed.
type ReindexArgs struct {
	RecordID string `json:"record_id"`
}

// Kind implements river.JobArgs.
func (ReindexArgs) Kind() string { return "reindex" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ReindexArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueIndex, MaxAttempts: maxAttempts}
}

// ReindexWorker puts an available record's current metadata in the index.
type ReindexWorker struct {
	river.WorkerDefaults[ReindexArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *ReindexWorker) Work(ctx context.Context, job *river.Job[ReindexArgs]) error {
	if w.p.Index == nil {
		return fmt.Errorf("ingest: this process has no search index")
	}
	r, err := w.p.Catalog.Record(ctx, job.Args.RecordID)
	if err != nil {
		return err
	}
	if r.Status != archive.StatusAvailable {
		return nil // the index stage will index it
	}
	return w.p.Index.PutDoc(w.p.indexDoc(r))
}

// indexDoc is what the index keeps of r: a record stored before every
// record had an agency counts as the server's own agency's.
func (p *pipeline) indexDoc(r *archive.Record) search.Doc {
	return search.Doc{Record: r, Agency: cmp.Or(r.Agency, p.AgencyCode)}
}
