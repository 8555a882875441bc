package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/signing"
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

// SignWorker signs a result twice, as the rules ask: first the scanning
// clerk's personal signature (Circular 01/2023 Art. 8.1: visible top-left of
// page 1 with the clerk's name and the scan time; a certification that
// permits the next signature), then the agency's signature converting it
// from paper (E-Transactions Law 2023 Art. 12: visible text saying so, the
// conversion time and the agency's full name; it locks the document). Then
// it adds the validation material and a document timestamp (PAdES B-LTA).
// Both boxes go where page 1 is blank, near their corners
// (placeSignatures).
// The signer checks each output before it returns it.
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
	batch, err := w.p.Catalog.Batch(ctx, r.BatchID)
	if err != nil {
		return nil, err
	}
	name := signingClerk(r.Meta, batch)
	clerk, err := w.p.ClerkSigner(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("ingest: signing key of clerk %q: %w", name, err)
	}
	clerkBox := &signing.VisibleText{Position: signing.TopLeft, Lines: scannerLines(r.Meta, batch)}
	agencyBox := &signing.VisibleText{Position: signing.TopRight,
		Lines: []string{"Được chuyển đổi từ văn bản giấy / Converted from paper",
			"Thời điểm chuyển đổi / Converted at: " + vnTime(w.p.now()), w.p.AgencyName}}
	clerkBox.FontAlso = agencyBox.Lines // one font serves both boxes
	if _, err := w.p.placeSignatures(ctx, r, pdf, clerkBox, agencyBox); err != nil {
		return nil, err
	}
	// One Document: each step verifies its output once, and the next
	// step starts from that report.
	doc := signing.Open(pdf)
	if err := clerk.SignDocument(ctx, doc, signing.SignOptions{Certify: true, Visible: clerkBox}); err != nil {
		return nil, fmt.Errorf("ingest: clerk's signature: %w", err)
	}
	if err := w.p.Signer.SignDocument(ctx, doc, signing.SignOptions{Lock: true, Visible: agencyBox}); err != nil {
		return nil, fmt.Errorf("ingest: agency's signature: %w", err)
	}
	if err := w.p.Signer.ArchiveDocument(ctx, doc); err != nil {
		return nil, fmt.Errorf("ingest: validation data and document timestamp: %w", err)
	}
	if r.ResultTrustedUntil, _, err = signing.TrustedUntil(doc.Bytes()); err != nil {
		return nil, fmt.Errorf("ingest: signed result: %w", err)
	}
	if r.Result, err = archive.PutBytes(ctx, w.p.Blobs, doc.Bytes()); err != nil {
		return nil, err
	}
	r.Status = archive.StatusSigned
	return StoreArgs{RecordID: r.ID}, nil
}

// vnTime prints t as Vietnamese documents do: dd/mm/yyyy hh:mm:ss +07:00.
func vnTime(t time.Time) string { return archive.VNTime(t) }
