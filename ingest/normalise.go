package ingest

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/scan"
)

// NormaliseArgs asks to normalise every page of a received record.
type NormaliseArgs struct {
	RecordID string `json:"record_id"`
}

// Kind implements river.JobArgs.
func (NormaliseArgs) Kind() string { return "normalise" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (NormaliseArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueCPU, MaxAttempts: maxAttempts}
}

// NormaliseWorker decodes each page, applies its orientation, checks it, and
// stores the page as it will go into the PDF.
type NormaliseWorker struct {
	river.WorkerDefaults[NormaliseArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *NormaliseWorker) Work(ctx context.Context, job *river.Job[NormaliseArgs]) error {
	return w.p.advance(ctx, job.JobRow, "normalise", job.Args.RecordID, archive.StatusReceived, w.normalise)
}

func (w *NormaliseWorker) normalise(ctx context.Context, r *archive.Record) (river.JobArgs, error) {
	if len(r.Pages) == 0 {
		return nil, permanent(fmt.Errorf("hồ sơ không có trang nào / the document has no pages"))
	}
	for i := range r.Pages {
		pg := &r.Pages[i]
		data, err := archive.ReadAll(ctx, w.p.Blobs, pg.Original)
		if err != nil {
			return nil, err
		}
		out, err := scan.Normalise(data, w.p.Limits)
		if err != nil {
			return nil, permanent(fmt.Errorf("trang %d (%s): %w / page %d (%s)", pg.N, pg.Name, err, pg.N, pg.Name))
		}
		if pg.Normalised, err = archive.PutBytes(ctx, w.p.Blobs, out.Data); err != nil {
			return nil, err
		}
		pg.Format, pg.Width, pg.Height, pg.DPI = string(out.Format), out.Width, out.Height, out.DPIX
	}
	r.Status = archive.StatusNormalised
	return AssembleArgs{RecordID: r.ID}, nil
}
