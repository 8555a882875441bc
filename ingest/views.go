package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/scan"
)

// ViewsArgs asks for the thumbnails and previews of a record whose pages
// were normalised before the normalise stage made them. One job a record
// is kept (unique by args), however often it is asked for.
type ViewsArgs struct {
	RecordID string `json:"record_id"`
}

// Kind implements river.JobArgs.
func (ViewsArgs) Kind() string { return "page_views" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ViewsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueCPU, MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ViewsWorker makes the missing views of a record's pages from their
// stored normalised bytes, as the normalise stage would have, and records
// their refs without touching anything else of the record. It is
// idempotent: pages that have their views, or are not normalised yet (the
// normalise stage will make them), are left alone.
type ViewsWorker struct {
	river.WorkerDefaults[ViewsArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *ViewsWorker) Work(ctx context.Context, job *river.Job[ViewsArgs]) error {
	r, err := w.p.Catalog.Record(ctx, job.Args.RecordID)
	if errors.Is(err, archive.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	made := map[archive.Ref]archive.Page{} // by normalised ref: the page's new views
	for _, pg := range r.Pages {
		if !lacksViews(pg) {
			continue
		}
		if pg.Thumb, pg.Preview, err = w.makeViews(ctx, pg); err != nil {
			return err
		}
		made[pg.Normalised] = pg
	}
	if len(made) == 0 {
		return nil
	}
	return w.p.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		cur, err := tx.Record(ctx, r.ID)
		if err != nil {
			return err
		}
		changed := false
		for i, pg := range cur.Pages {
			if m, ok := made[pg.Normalised]; ok && lacksViews(pg) {
				cur.Pages[i].Thumb, cur.Pages[i].Preview, changed = m.Thumb, m.Preview, true
			}
		}
		if !changed {
			return nil
		}
		return tx.UpdateRecord(ctx, cur)
	})
}

// lacksViews reports whether pg is normalised but misses a view.
func lacksViews(pg archive.Page) bool {
	return pg.Normalised != "" && (pg.Thumb == "" || pg.Preview == "")
}

// makeViews decodes one stored normalised page and stores its views. A
// page scan cannot read is a permanent fault.
func (w *ViewsWorker) makeViews(ctx context.Context, pg archive.Page) (thumb, preview archive.Ref, err error) {
	data, err := archive.ReadAll(ctx, w.p.Blobs, pg.Normalised)
	if err != nil {
		return "", "", err
	}
	t, p, err := scan.Views(scan.Stored{Data: data, Format: scan.Format(pg.Format), Width: pg.Width, Height: pg.Height,
		BlackIs1: pg.BlackIs1}, w.p.Scan)
	if err != nil {
		err = fmt.Errorf("ingest: views of page %d: %w", pg.N, err)
		var se *scan.Error
		if errors.As(err, &se) {
			return "", "", river.JobCancel(err)
		}
		return "", "", err
	}
	return putViews(ctx, w.p.Blobs, &scan.Page{Thumb: t, Preview: p})
}

// ViewsFunc returns a function that asks, in its own transaction, for the
// views of a record normalised before they were made (web.Config.MakeViews).
func ViewsFunc(cat archive.Catalog, enqueue EnqueueFunc) func(ctx context.Context, recordID string) error {
	return func(ctx context.Context, recordID string) error {
		return cat.Update(ctx, func(tx archive.CatalogTx) error {
			return enqueue(ctx, tx, ViewsArgs{RecordID: recordID})
		})
	}
}
