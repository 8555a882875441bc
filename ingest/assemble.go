package ingest

import (
	"bytes"
	"context"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/assemble"
	"github.com/khoso-vn/khoso/signing/stamp"
)

// AssembleArgs asks to build the unsigned PDF of a normalised record.
type AssembleArgs struct {
	RecordID string `json:"record_id"`
}

// Kind implements river.JobArgs.
func (AssembleArgs) Kind() string { return "assemble" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (AssembleArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueCPU, MaxAttempts: maxAttempts}
}

// AssembleWorker builds one PDF page per normalised page, in order, each at
// its physical size, identified as PDF/A-2b with the record's fields in its
// XMP metadata.
type AssembleWorker struct {
	river.WorkerDefaults[AssembleArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *AssembleWorker) Work(ctx context.Context, job *river.Job[AssembleArgs]) error {
	return w.p.advance(ctx, job.JobRow, "assemble", job.Args.RecordID, archive.StatusNormalised, w.assemble)
}

func (w *AssembleWorker) assemble(ctx context.Context, r *archive.Record) (river.JobArgs, error) {
	// One page is read at a time and written into the PDF at once, so a
	// long document holds its pages' bytes only once, in the PDF.
	var buf bytes.Buffer
	pw := assemble.NewWriter(&buf, assemble.InfoOf(r))
	for _, pg := range r.Pages {
		data, err := archive.ReadAll(ctx, w.p.Blobs, pg.Normalised)
		if err != nil {
			return nil, err
		}
		if err := pw.Add(assemble.PageOf(pg, data)); err != nil {
			return nil, permanent(err)
		}
	}
	if err := pw.Close(); err != nil { // a record without pages fails here
		return nil, permanent(err)
	}
	m := r.Meta
	pdfa, err := stamp.PDFA(buf.Bytes(), stamp.Archival{DocName: m.DocName, Number: m.Number, Issuer: m.Issuer,
		HolderID: m.HolderID, HolderName: m.HolderName, ResultCode: r.ResultCode})
	if err != nil {
		return nil, permanent(err)
	}
	ref, err := archive.PutBytes(ctx, w.p.Blobs, pdfa)
	if err != nil {
		return nil, err
	}
	r.Unsigned, r.Status = ref, archive.StatusAssembled
	return SignArgs{RecordID: r.ID}, nil
}
