package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/search"
	"github.com/khoso-vn/khoso/signing"
)

// Queues of the pipeline. Work is split by what limits it: CPU, the signing
// key (an HSM is a serial device), I/O, and the search index (owned by the
// serving process only).
const (
	QueueCPU   = "cpu"
	QueueSign  = "sign"
	QueueIO    = "io"
	QueueIndex = "index"
)

// maxAttempts bounds retries of a transient fault; the last failure fails
// the record with its reason. River's backoff makes 8 attempts span about
// an hour and a quarter.
const maxAttempts = 8

// DefaultJobTimeout allows for documents of many large pages and a slow
// time-stamp authority.
const DefaultJobTimeout = 30 * time.Minute

// Signer signs PDFs with one key; *signing.Signer is one.
type Signer interface {
	// SignDocument signs a document signed in steps, with options:
	// visible text, certification, lock.
	SignDocument(ctx context.Context, d *signing.Document, opts signing.SignOptions) error
	// ArchiveDocument adds validation material and a document timestamp
	// to a document signed in steps.
	ArchiveDocument(ctx context.Context, d *signing.Document) error
	// Archive adds validation material and a document timestamp.
	Archive(ctx context.Context, pdf []byte) ([]byte, error)
}

// ClerkSignerFunc returns the personal signer of the clerk who scanned a
// batch, by the name the batch records.
type ClerkSignerFunc func(ctx context.Context, clerk string) (Signer, error)

// Indexer indexes an available record; *search.Handle is one.
type Indexer interface {
	PutDoc(d search.Doc) error
}

// PipelineConfig holds what the stages need.
type PipelineConfig struct {
	Catalog archive.Catalog   // required
	Blobs   archive.BlobStore // required
	Signer  Signer            // required: the agency's
	Enqueue EnqueueFunc       // required
	// ClerkSigner gives each clerk's personal signer. Required.
	ClerkSigner ClerkSignerFunc
	// AgencyName is the agency's full name, printed with its signature.
	// Required.
	AgencyName string
	// AgencyCode is the server's own agency: a record stored before every
	// record had an agency is indexed as its, as a full rebuild does.
	AgencyCode string
	// Now returns the time; default time.Now.
	Now func() time.Time
	// RenewMargin is how long before a timestamp stops being trustworthy
	// its result gets a new one; default DefaultRenewMargin.
	RenewMargin time.Duration
	// Index is required when the process works QueueIndex.
	Index Indexer
	// Scan sets page normalisation: limits, maximum dpi, deskew; zero
	// fields take scan's defaults.
	Scan scan.Options
	// JobTimeout bounds one stage of one document; default
	// DefaultJobTimeout. Job queues should rescue a job left running by a
	// dead process only after it.
	JobTimeout time.Duration
	// Observe, when set, is told of each stage run: the record's page
	// count, how long it took, and its error (nil on success). Permanent
	// errors satisfy IsPermanent.
	Observe ObserveFunc
	// Space, when set, is told nil after each stage that committed, and the
	// error of each stage that could not write because the disk, database
	// or object store is full. Such a stage is tried again every
	// SpaceRetry, without end and without using up its attempts, so the
	// pipeline goes on by itself once space is freed.
	Space func(err error)
	// Logger receives what the stages decide, such as where a signature
	// box went on page 1; default discards.
	Logger *slog.Logger
}

// SpaceRetry is how long a stage that found the storage full waits before
// it tries again.
const SpaceRetry = 10 * time.Second

// pipeline is shared by the stage workers.
type pipeline struct {
	PipelineConfig
}

// log returns the stages' logger.
func (p *pipeline) log() *slog.Logger { return p.Logger }

// AddWorkers registers every stage's worker on w.
func AddWorkers(w *river.Workers, cfg PipelineConfig) error {
	if cfg.Catalog == nil || cfg.Blobs == nil || cfg.Signer == nil || cfg.Enqueue == nil || cfg.ClerkSigner == nil ||
		cfg.AgencyName == "" {
		return fmt.Errorf("ingest: PipelineConfig needs Catalog, Blobs, Signer, Enqueue, ClerkSigner and AgencyName: %w",
			archive.ErrInvalid)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RenewMargin <= 0 {
		cfg.RenewMargin = DefaultRenewMargin
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = DefaultJobTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	p := &pipeline{cfg}
	river.AddWorker(w, &NormaliseWorker{p: p})
	river.AddWorker(w, &AssembleWorker{p: p})
	river.AddWorker(w, &SignWorker{p: p})
	river.AddWorker(w, &StoreWorker{p: p})
	river.AddWorker(w, &IndexWorker{p: p})
	river.AddWorker(w, &ReindexWorker{p: p})
	river.AddWorker(w, &RenewWorker{p: p})
	river.AddWorker(w, &RenewRecordWorker{p: p})
	river.AddWorker(w, &RenewCopiesWorker{p: p})
	river.AddWorker(w, &RenewCopyWorker{p: p})
	river.AddWorker(w, &ViewsWorker{p: p})
	return nil
}

// ObserveFunc receives one stage run's figures, for metrics.
type ObserveFunc func(stage string, pages int, d time.Duration, err error)

// IsPermanent reports whether err is a fault retrying cannot fix.
func IsPermanent(err error) bool {
	var perm permanentError
	return errors.As(err, &perm)
}

func (p *pipeline) now() time.Time { return p.Now() }

// permanentError marks a fault that retrying cannot fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// permanent marks err as not worth retrying.
func permanent(err error) error { return permanentError{err} }

// stageFunc does a stage's work on r (outside any transaction), sets r's
// new state and fields, and returns the next job, nil after the last stage.
type stageFunc func(ctx context.Context, r *archive.Record) (next river.JobArgs, err error)

// advance runs one stage for a record that is at status from. It is
// idempotent: a record already past from is left alone.
func (p *pipeline) advance(ctx context.Context, job *rivertype.JobRow, stage string, id string, from archive.Status, work stageFunc) error {
	r, err := p.Catalog.Record(ctx, id)
	if err != nil {
		if errors.Is(err, archive.ErrNotFound) {
			return river.JobCancel(err)
		}
		return err
	}
	if r.Status != from {
		return nil // done already, by an earlier attempt
	}
	start := time.Now()
	next, err := work(ctx, r)
	if err == nil {
		err = p.commit(ctx, r, from, next)
	}
	if p.Observe != nil {
		p.Observe(stage, len(r.Pages), time.Since(start), err)
	}
	if p.Space != nil && (err == nil || errors.Is(err, archive.ErrNoSpace)) {
		p.Space(err)
	}
	if err == nil {
		return nil
	}
	if errors.Is(err, archive.ErrNoSpace) {
		return river.JobSnooze(SpaceRetry)
	}
	if IsPermanent(err) {
		if ferr := p.fail(ctx, id, err.Error()); ferr != nil {
			return ferr
		}
		return river.JobCancel(err)
	}
	if job.Attempt >= job.MaxAttempts {
		reason := fmt.Sprintf("bước %s thất bại sau %d lần thử: %v / stage %s failed after %d attempts: %v",
			stage, job.Attempt, err, stage, job.Attempt, err)
		if ferr := p.fail(ctx, id, reason); ferr != nil {
			return ferr
		}
	}
	return err
}

// commit records r's new state and inserts next in one transaction, unless
// another attempt got there first.
func (p *pipeline) commit(ctx context.Context, r *archive.Record, from archive.Status, next river.JobArgs) error {
	return p.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		cur, err := tx.Record(ctx, r.ID)
		if err != nil {
			return err
		}
		if cur.Status != from {
			return nil
		}
		if err := tx.UpdateRecord(ctx, r); err != nil {
			return err
		}
		if next == nil {
			return nil
		}
		return p.Enqueue(ctx, tx, next)
	})
}

// fail marks the record failed with reason, unless it is already final.
func (p *pipeline) fail(ctx context.Context, id, reason string) error {
	return p.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		r, err := tx.Record(ctx, id)
		if err != nil {
			return err
		}
		if r.Status.Done() {
			return nil
		}
		r.Status, r.Reason = archive.StatusFailed, reason
		return tx.UpdateRecord(ctx, r)
	})
}

// Timeout implements river.Worker.
func (w *NormaliseWorker) Timeout(*river.Job[NormaliseArgs]) time.Duration { return w.p.JobTimeout }

// Timeout implements river.Worker.
func (w *AssembleWorker) Timeout(*river.Job[AssembleArgs]) time.Duration { return w.p.JobTimeout }

// Timeout implements river.Worker.
func (w *SignWorker) Timeout(*river.Job[SignArgs]) time.Duration { return w.p.JobTimeout }

// Timeout implements river.Worker.
func (w *StoreWorker) Timeout(*river.Job[StoreArgs]) time.Duration { return w.p.JobTimeout }

// Timeout implements river.Worker.
func (w *RenewWorker) Timeout(*river.Job[RenewArgs]) time.Duration { return w.p.JobTimeout }

// Timeout implements river.Worker.
func (w *IndexWorker) Timeout(*river.Job[IndexArgs]) time.Duration { return w.p.JobTimeout }
