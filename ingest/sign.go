package ingest

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
)

// SignArgs asks to sign the assembled PDF of a record.
type SignArgs struct {
	RecordID string `json:"record_id"`
}

// Kind implements river.JobArgs.
func (SignArgs) Kind() string { return "sign" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SignArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueSign, MaxAttempts: maxAttempts}
}

// SignWorker signs with the agency key and an RFC 3161 timestamp. The
// signer checks its own output before it returns it.
type SignWorker struct {
	river.WorkerDefaults[SignArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *SignWorker) Work(ctx context.Context, job *river.Job[SignArgs]) error {
	return w.p.advance(ctx, job.JobRow, "sign", job.Args.RecordID, archive.StatusAssembled, w.sign)
}

func (w *SignWorker) sign(ctx context.Context, r *archive.Record) (river.JobArgs, error) {
	pdf, err := archive.ReadAll(ctx, w.p.Blobs, r.Unsigned)
	if err != nil {
		return nil, err
	}
	signed, err := w.p.Signer.Sign(ctx, pdf)
	if err != nil {
		return nil, err
	}
	if r.Result, err = archive.PutBytes(ctx, w.p.Blobs, signed); err != nil {
		return nil, err
	}
	r.Status = archive.StatusSigned
	return StoreArgs{RecordID: r.ID}, nil
}
