package archive

import (
	"context"
	"time"
)

// CatalogReader answers questions about records, batches and users.
// Methods return an error wrapping ErrNotFound for a missing object, never a
// nil result with a nil error.
type CatalogReader interface {
	LoginReader
	UserReader

	// Record returns a record with its pages in order.
	Record(ctx context.Context, id string) (*Record, error)
	// Batch returns a batch with its per-status counts.
	Batch(ctx context.Context, id string) (*BatchSummary, error)
	// BatchRecords returns the records of a batch by manifest row.
	BatchRecords(ctx context.Context, batchID string) ([]Record, error)
	// Batches returns the batches q selects, newest first, each with its
	// per-status counts; none is not an error.
	Batches(ctx context.Context, q BatchQuery) ([]BatchSummary, error)
	// RecordsByResult returns the records whose signed PDF is ref, now or
	// before a renewal replaced it (usually one; none is not an error).
	RecordsByResult(ctx context.Context, ref Ref) ([]Record, error)
	// Records calls fn for every record in ID order, without pages, until
	// fn returns an error, which Records returns.
	Records(ctx context.Context, fn func(*Record) error) error
	// UserByToken returns the user whose unrevoked token hashes to
	// tokenHash; a disabled user is returned with DisabledAt set.
	UserByToken(ctx context.Context, tokenHash Ref) (*User, error)
	// RecordsByHolder returns the records whose holder is holderID, by ID.
	RecordsByHolder(ctx context.Context, holderID string) ([]Record, error)
	// RecordsByID returns the records of ids, with their pages, in the
	// order of ids, in a few queries however many there are (a page of
	// search hits). An ID with no record is left out, not an error.
	RecordsByID(ctx context.Context, ids []string) ([]Record, error)
	// RecordsToReview returns, without pages, up to limit records that
	// failed or need metadata, newest first, of the given agencies (any
	// agency when agencies is nil; "" is a record stored without one).
	RecordsToReview(ctx context.Context, agencies []string, limit int) ([]Record, error)
	// Corrections returns the corrections of a record's metadata by Seq;
	// none is not an error.
	Corrections(ctx context.Context, recordID string) ([]Correction, error)

	// Share returns one share.
	Share(ctx context.Context, id string) (*Share, error)
	// Shares returns the shares a holder granted, newest first.
	Shares(ctx context.Context, holderID string) ([]Share, error)
	// SharedWith returns the IDs of the records shared with agency and
	// active at now.
	SharedWith(ctx context.Context, agency string, now time.Time) ([]string, error)

	// CopyByCode returns the copy with verification code code, with its
	// earlier results.
	CopyByCode(ctx context.Context, code string) (*Copy, error)
	// Copies returns the copies issued from a record, oldest first, with
	// their earlier results.
	Copies(ctx context.Context, recordID string) ([]Copy, error)
	// CopiesByResult returns the copies whose signed file is ref, now or
	// before a renewal replaced it, by ID, with their earlier results
	// (usually one; none is not an error).
	CopiesByResult(ctx context.Context, ref Ref) ([]Copy, error)
	// AllCopies calls fn for every copy in ID order, without its earlier
	// results, until fn returns an error, which AllCopies returns.
	AllCopies(ctx context.Context, fn func(*Copy) error) error
	// Copy returns the copy with ID id, with its earlier results.
	Copy(ctx context.Context, id string) (*Copy, error)

	// RecordsToRenew returns up to limit available records whose result
	// is trusted until before or earlier, or not known to be trusted (a
	// zero ResultTrustedUntil), in renewal order after the key after (the
	// zero key: from the start). A limit below 1 is an error wrapping
	// ErrInvalid.
	RecordsToRenew(ctx context.Context, before time.Time, after RenewalKey, limit int) ([]RenewalKey, error)
	// CopiesToRenew is RecordsToRenew for certified copies, of any record.
	CopiesToRenew(ctx context.Context, before time.Time, after RenewalKey, limit int) ([]RenewalKey, error)

	// AuditEvents calls fn for each audit entry after seq, in order, until
	// fn returns an error, which AuditEvents returns.
	AuditEvents(ctx context.Context, afterSeq int64, fn func(*AuditEvent) error) error
	// AuditCheckpoints returns every signed checkpoint by Seq.
	AuditCheckpoints(ctx context.Context) ([]AuditCheckpoint, error)
	// LastCheckpoint returns the checkpoint with the greatest Seq, or an
	// error wrapping ErrNotFound when there is none.
	LastCheckpoint(ctx context.Context) (*AuditCheckpoint, error)
}

// CatalogWriter changes the catalog. It is only reachable inside Update.
type CatalogWriter interface {
	LoginWriter
	UserWriter

	// CreateBatch inserts b. An existing ID is an error wrapping
	// ErrConflict.
	CreateBatch(ctx context.Context, b *Batch) error
	// CreateRecord inserts r and its pages. When r.ResultCode is empty it
	// assigns the next result code of r's dossier or agency and year
	// ([ResultCodeScope]), unique and without gaps among the committed
	// records; a ResultCode already taken is an error. The counter stays
	// locked until the transaction ends: a transaction creating records of
	// several dossiers creates them in [InResultCodeOrder], so that
	// concurrent ones never wait for each other in a cycle.
	CreateRecord(ctx context.Context, r *Record) error
	// UpdateRecord overwrites r's state, metadata, refs and pages, and sets
	// r.UpdatedAt. A missing record is an error wrapping ErrNotFound.
	UpdateRecord(ctx context.Context, r *Record) error
	// AddCorrection records a correction of c.RecordID's metadata and sets
	// c.Seq to the next number of that record. It does not change the
	// record: the caller updates it in the same transaction. A missing
	// record is an error wrapping ErrNotFound.
	AddCorrection(ctx context.Context, c *Correction) error
	// CreateUser inserts u and, unless tokenHash is empty, its first token
	// (named DefaultTokenName) with that SHA-256.
	CreateUser(ctx context.Context, u *User, tokenHash Ref) error
	// PutShare inserts or updates s.
	PutShare(ctx context.Context, s *Share) error
	// ReplaceResult records that r's result was replaced (by a renewal
	// adding a document timestamp): the old ref is kept in its history
	// with the reason, and r is updated.
	ReplaceResult(ctx context.Context, r *Record, old Ref, oldVersion, reason string) error
	// CreateCopy records an issued copy. A code already used is an error
	// wrapping ErrConflict.
	CreateCopy(ctx context.Context, c *Copy) error
	// ReplaceCopyResult records that c's result was replaced (by a renewal
	// adding a document timestamp): the old ref is kept in c's history with
	// the reason, and c's Result, Version and Size are updated. A missing
	// copy is an error wrapping ErrNotFound.
	ReplaceCopyResult(ctx context.Context, c *Copy, old Ref, oldVersion, reason string) error
	// SetResultTrustedUntil records until when record id's result is
	// trusted, if its result is still result; otherwise it changes nothing
	// and returns an error wrapping ErrConflict. A missing record is an
	// error wrapping ErrNotFound. A zero until means not known.
	SetResultTrustedUntil(ctx context.Context, id string, result Ref, until time.Time) error
	// SetCopyTrustedUntil is SetResultTrustedUntil for the copy with ID id.
	SetCopyTrustedUntil(ctx context.Context, id string, result Ref, until time.Time) error
	// AppendAudit appends e to the audit log: it sets e.Seq, e.PrevHash and
	// e.Hash, continuing the chain. Appends are serialised so the chain
	// never forks.
	AppendAudit(ctx context.Context, e *AuditEvent) error
	// AddCheckpoint records a signed checkpoint. A Seq already
	// checkpointed is an error wrapping ErrConflict.
	AddCheckpoint(ctx context.Context, c *AuditCheckpoint) error
}

// CatalogTx is a catalog transaction. A SQL backend's transaction also
// offers SQLTx() *sql.Tx, so a job queue can enqueue in the same
// transaction.
type CatalogTx interface {
	CatalogReader
	CatalogWriter
}

// Catalog keeps metadata and pipeline state.
type Catalog interface {
	CatalogReader
	// Update runs fn in one transaction, committed when fn returns nil and
	// rolled back otherwise.
	Update(ctx context.Context, fn func(tx CatalogTx) error) error
}
