package ingest

import (
	"context"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
)

// EnqueueFunc inserts a job inside the catalog transaction tx, so that the
// job exists if and only if the state it depends on was committed. cmd
// builds one from the River client of the catalog's database.
type EnqueueFunc func(ctx context.Context, tx archive.CatalogTx, args river.JobArgs) error

// NewEnqueueFunc returns an EnqueueFunc inserting with client, in the
// driver transaction txOf finds in a catalog transaction.
func NewEnqueueFunc[TTx any](client *river.Client[TTx], txOf func(archive.CatalogTx) (TTx, error)) EnqueueFunc {
	return func(ctx context.Context, tx archive.CatalogTx, args river.JobArgs) error {
		dtx, err := txOf(tx)
		if err != nil {
			return fmt.Errorf("ingest: enqueue %s: %w", args.Kind(), err)
		}
		if _, err := client.InsertTx(ctx, dtx, args, nil); err != nil {
			return fmt.Errorf("ingest: enqueue %s: %w", args.Kind(), err)
		}
		return nil
	}
}

// IntakeConfig configures an Intake.
type IntakeConfig struct {
	Catalog  archive.Catalog   // required
	Blobs    archive.BlobStore // required
	Enqueue  EnqueueFunc       // required
	SpoolDir string            // where uploads are hashed before storing; default os.TempDir()
	Now      func() time.Time  // default time.Now
}

// Intake accepts batches: it stores their files and creates their records.
type Intake struct {
	cfg IntakeConfig
}

// NewIntake returns an Intake.
func NewIntake(cfg IntakeConfig) (*Intake, error) {
	if cfg.Catalog == nil || cfg.Blobs == nil || cfg.Enqueue == nil {
		return nil, fmt.Errorf("ingest: IntakeConfig needs Catalog, Blobs and Enqueue: %w", archive.ErrInvalid)
	}
	if cfg.SpoolDir == "" {
		cfg.SpoolDir = os.TempDir()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Intake{cfg: cfg}, nil
}

// BatchInput is what a clerk sends: who, the manifest rows, and the files
// staged in Upload, by their path relative to the batch folder.
type BatchInput struct {
	CreatedBy string // the uploader's name
	// UploaderRole is the uploader's role. A clerk's (or an unknown role's)
	// name becomes the scanner of every row that names none; an
	// administrator is not taken for the person who scanned: such rows name
	// nobody, and their signature text says so.
	UploaderRole archive.Role
	Agency       string
	Rows         []Row
	Files        map[string]archive.Ref
	Upload       *Upload // required: where Files are staged
}

// Accept records a batch: one record per manifest row. Rows that cannot be
// accepted (bad metadata, missing files) are recorded as failed with the
// reason; the files of the others are stored in the blob store, then they
// are received and their first job enqueued, all in one transaction. Files
// no received row names are not stored.
func (in *Intake) Accept(ctx context.Context, input BatchInput) (*archive.Batch, error) {
	if input.Upload == nil {
		return nil, fmt.Errorf("ingest: accept batch: no Upload: %w", archive.ErrInvalid)
	}
	now := in.cfg.Now()
	b := &archive.Batch{ID: archive.NewID("b", now), Agency: input.Agency, CreatedBy: input.CreatedBy, CreatedAt: now}
	recs := make([]*archive.Record, 0, len(input.Rows))
	stored := map[archive.Ref]bool{}
	for _, row := range input.Rows {
		r := newRecord(b.ID, input.Agency, row, input.Files, now)
		if r.Meta.ScannedBy == "" && input.UploaderRole != archive.RoleAdmin {
			r.Meta.ScannedBy = input.CreatedBy
		}
		recs = append(recs, r)
		if r.Status != archive.StatusReceived {
			continue
		}
		for _, pg := range r.Pages {
			if stored[pg.Original] {
				continue
			}
			if err := input.Upload.store(ctx, in.cfg.Blobs, pg.Original); err != nil {
				return nil, err
			}
			stored[pg.Original] = true
		}
	}
	err := in.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(ctx, b); err != nil {
			return err
		}
		for _, r := range recs {
			if err := tx.CreateRecord(ctx, r); err != nil {
				return err
			}
			if r.Status == archive.StatusReceived {
				if err := in.cfg.Enqueue(ctx, tx, NormaliseArgs{RecordID: r.ID}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: accept batch: %w", err)
	}
	return b, nil
}

// newRecord makes the record of one manifest row, failed when the row is
// wrong or names files that were not sent.
func newRecord(batchID, agency string, row Row, files map[string]archive.Ref, now time.Time) *archive.Record {
	r := &archive.Record{ID: archive.NewID("r", now), BatchID: batchID, Agency: agency, Row: row.Line,
		Status: archive.StatusReceived, Meta: row.Meta}
	if row.Err != nil {
		r.Status, r.Reason = archive.StatusFailed, row.Err.Error()
		return r
	}
	for _, entry := range row.Files {
		names := resolve(entry, files)
		if len(names) == 0 {
			r.Status = archive.StatusFailed
			r.Reason = (&RowError{Line: row.Line, Column: "file",
				VI: fmt.Sprintf("không tìm thấy tệp %q trong lô đã gửi", entry),
				EN: fmt.Sprintf("file %q was not found in the batch sent", entry)}).Error()
			r.Pages = nil
			return r
		}
		for _, name := range names {
			// Until the page is normalised, DPI holds what the clerk
			// confirmed in the manifest.
			r.Pages = append(r.Pages, archive.Page{N: len(r.Pages) + 1, Name: name, Original: files[name], DPI: row.DPI})
		}
	}
	return r
}

// resolve returns the files a manifest entry names: the file itself, or
// every file under it when it is a folder, in natural order (page2 before
// page10).
func resolve(entry string, files map[string]archive.Ref) []string {
	entry = path.Clean(strings.ReplaceAll(entry, "\\", "/"))
	if _, ok := files[entry]; ok {
		return []string{entry}
	}
	var out []string
	for name := range files {
		if strings.HasPrefix(name, entry+"/") {
			out = append(out, name)
		}
	}
	sort.Slice(out, func(i, j int) bool { return naturalLess(out[i], out[j]) })
	return out
}

// naturalLess orders strings with embedded numbers by their value.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitPrefix(a), digitPrefix(b)
		if da != "" && db != "" {
			na, nb := strings.TrimLeft(da, "0"), strings.TrimLeft(db, "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitPrefix(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// UpdateMetadata replaces a record's metadata (a clerk's correction) and,
// when the record is available, enqueues its re-indexing in the same
// transaction.
func (in *Intake) UpdateMetadata(ctx context.Context, id string, m archive.Metadata) (*archive.Record, error) {
	if err := validateMeta(m); err != nil {
		return nil, err
	}
	var rec *archive.Record
	err := in.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		var err error
		if rec, err = tx.Record(ctx, id); err != nil {
			return err
		}
		// Who scanned and when are facts of the scan, signed into the
		// result: a correction of the metadata keeps them.
		m.ScannedBy, m.ScannedAt, m.ScannedAtFrom = rec.Meta.ScannedBy, rec.Meta.ScannedAt, rec.Meta.ScannedAtFrom
		rec.Meta = m
		if err := tx.UpdateRecord(ctx, rec); err != nil {
			return err
		}
		if rec.Status == archive.StatusAvailable {
			return in.cfg.Enqueue(ctx, tx, ReindexArgs{RecordID: id})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: update metadata of %s: %w", id, err)
	}
	return rec, nil
}

// validateMeta checks what a manifest row must carry.
func validateMeta(m archive.Metadata) error {
	switch {
	case strings.TrimSpace(m.DocName) == "", strings.TrimSpace(m.Number) == "", strings.TrimSpace(m.Issuer) == "":
		return fmt.Errorf("ingest: tên giấy tờ, số ký hiệu và cơ quan cấp là bắt buộc / doc_name, number and issuer are required: %w", archive.ErrInvalid)
	case m.IssuedOn.IsZero():
		return fmt.Errorf("ingest: ngày cấp là bắt buộc / issued_on is required: %w", archive.ErrInvalid)
	case m.HolderID == "" && m.HolderName == "":
		return fmt.Errorf("ingest: cần số định danh hoặc tên chủ hồ sơ / holder_id or holder_name is required: %w", archive.ErrInvalid)
	case !m.ValidUntil.IsZero() && m.ValidUntil.Before(m.IssuedOn):
		return fmt.Errorf("ingest: thời hạn hiệu lực trước ngày cấp / valid_until is before issued_on: %w", archive.ErrInvalid)
	}
	return nil
}
