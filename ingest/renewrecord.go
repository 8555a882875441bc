package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/signing"
)

// RenewRecordArgs asks to renew one result's archive timestamp if it needs
// it, and to record until when it is trusted either way.
type RenewRecordArgs struct {
	RecordID string `json:"record_id"`
}

// Kind implements river.JobArgs.
func (RenewRecordArgs) Kind() string { return "renew_record" }

// InsertOpts implements river.JobArgsWithInsertOpts: the signing queue, as
// a renewal asks the TSA and signs with the agency key, behind the
// pipeline's signing; one job per record while unfinished.
func (RenewRecordArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueSign, Priority: renewPriority, MaxAttempts: maxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: unfinished}}
}

// RenewRecordWorker adds a new document timestamp (an archive timestamp,
// PAdES B-LTA) to an available result whose newest timestamp nears the
// expiry of its TSA certificate or of its algorithm (signing.NeedsRenewal),
// keeps the previous result in the record's history with the reason, and
// records until when the new one is trusted. A result not yet due only has
// that date recorded (a result stored before the catalog kept it). A fault
// fails this job alone, retried with River's backoff; the next sweep
// enqueues it again if its attempts run out.
type RenewRecordWorker struct {
	river.WorkerDefaults[RenewRecordArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *RenewRecordWorker) Work(ctx context.Context, job *river.Job[RenewRecordArgs]) error {
	id := job.Args.RecordID
	r, err := w.p.Catalog.Record(ctx, id)
	if errors.Is(err, archive.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if r.Status != archive.StatusAvailable || r.Result == "" {
		return nil // not a kept result (any more): nothing to renew
	}
	pdf, err := archive.ReadAll(ctx, w.p.Blobs, r.Result)
	if err != nil {
		return fmt.Errorf("ingest: renew %s: %w", id, err)
	}
	until, reason, err := signing.TrustedUntil(pdf)
	if err != nil {
		return fmt.Errorf("ingest: renew %s: %w", id, err)
	}
	if !signing.RenewalDue(until, w.p.now(), w.p.RenewMargin) {
		if until.Equal(r.ResultTrustedUntil) {
			return nil
		}
		err := w.p.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
			return tx.SetResultTrustedUntil(ctx, id, r.Result, until)
		})
		if errors.Is(err, archive.ErrConflict) {
			return nil // replaced meanwhile, with its own date
		}
		return err
	}
	f, err := w.p.renewFile(ctx, pdf)
	if err != nil {
		return fmt.Errorf("ingest: renew %s: %w", id, err)
	}
	var cur *archive.Record
	err = w.p.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		var err error
		if cur, err = tx.Record(ctx, id); err != nil {
			return err
		}
		if cur.Result != r.Result {
			return errors.New("result changed meanwhile") // retried by River
		}
		old, oldVersion := cur.Result, cur.ResultVersion
		cur.Result, cur.ResultVersion, cur.Size, cur.ResultTrustedUntil = f.ref, f.version, f.size, f.until
		return tx.ReplaceResult(ctx, cur, old, oldVersion, reason)
	})
	if err != nil {
		return fmt.Errorf("ingest: renew %s: %w", id, err)
	}
	if w.p.Index != nil {
		return w.p.Index.PutDoc(w.p.indexDoc(cur))
	}
	return nil
}

// renewedFile is a file with a new document timestamp, stored.
type renewedFile struct {
	ref     archive.Ref
	version string // the blob store's version ID, where it keeps versions
	size    int64
	until   time.Time // signing.TrustedUntil of the new file
}

// renewFile adds a document timestamp to pdf and stores the result. A new
// timestamp that is itself due (the TSA's own certificate ends within the
// margin) is logged: renewing again will not help until the TSA has a new
// certificate.
func (p *pipeline) renewFile(ctx context.Context, pdf []byte) (*renewedFile, error) {
	renewed, err := p.Signer.Archive(ctx, pdf)
	if err != nil {
		return nil, err
	}
	f := &renewedFile{size: int64(len(renewed))}
	var reason string
	if f.until, reason, err = signing.TrustedUntil(renewed); err != nil {
		return nil, err
	}
	if signing.RenewalDue(f.until, p.now(), p.RenewMargin) {
		p.log().Warn("a renewal's new document timestamp is itself due for renewal; the time-stamp authority needs a new certificate",
			"reason", reason)
	}
	if f.ref, err = archive.PutBytes(ctx, p.Blobs, renewed); err != nil {
		return nil, err
	}
	if v, ok := p.Blobs.(archive.Versioner); ok {
		if f.version, err = v.Version(ctx, f.ref); err != nil {
			return nil, err
		}
	}
	return f, nil
}
