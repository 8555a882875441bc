package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

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

// Accept records a batch: one record per manifest row. Rows naming files
// that were not sent are recorded as failed with the reason; the files of
// the others are stored in the blob store, then they are received and their
// first job enqueued, all in one transaction. A row whose only fault is its
// metadata is received too, with the fault as its reason: its pages are
// normalised, then it waits in needs_metadata for a clerk (see
// UpdateMetadata). Files no received row names are not stored.
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
		for _, r := range archive.InResultCodeOrder(recs, now) {
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
// unreadable or names files that were not sent. A row with wrong metadata
// but all its files is received with the fault as its reason (and the field
// it is in), so it stops in needs_metadata once normalised.
func newRecord(batchID, agency string, row Row, files map[string]archive.Ref, now time.Time) *archive.Record {
	r := &archive.Record{ID: archive.NewID("r", now), BatchID: batchID, Agency: agency, Row: row.Line,
		Status: archive.StatusReceived, Meta: row.Meta}
	if row.Err != nil {
		r.Reason = row.Err.Error()
		var re *RowError
		if errors.As(row.Err, &re) {
			r.ReasonField = re.Column
		}
		if len(row.Files) == 0 || r.ReasonField == "file" || r.ReasonField == "dpi" || r.ReasonField == "" {
			// Not a metadata fault: the row's files or resolution are
			// wrong, or the line is unreadable.
			r.Status = archive.StatusFailed
			return r
		}
	}
	for _, entry := range row.Files {
		names := resolve(entry, files)
		if len(names) == 0 {
			r.Status = archive.StatusFailed
			r.Reason = (&RowError{Line: row.Line, Column: "file", Header: row.Headers["file"],
				VI: fmt.Sprintf("không tìm thấy tệp %q trong lô đã gửi", entry),
				EN: fmt.Sprintf("file %q was not found in the batch sent", entry)}).Error()
			r.Pages, r.ReasonField = nil, "file"
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
// FilesOf returns the names among files that rows' file entries name, in
// the order of files: what a batch of only those rows needs sent.
func FilesOf(rows []Row, files []string) []string {
	set := make(map[string]archive.Ref, len(files))
	for _, f := range files {
		set[f] = ""
	}
	used := map[string]bool{}
	for _, row := range rows {
		for _, entry := range row.Files {
			for _, name := range resolve(entry, set) {
				used[name] = true
			}
		}
	}
	var out []string
	for _, f := range files {
		if used[f] {
			out = append(out, f)
		}
	}
	return out
}

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

// MetadataChange is a person's change of a record's metadata.
type MetadataChange struct {
	Meta archive.Metadata
	// Reason says why; required (at most archive.MaxCorrectionReason
	// characters) to correct an available record.
	Reason string
	// By is who changes it. Required.
	By *archive.User
}

// UpdateMetadata checks a clerk's metadata by the manifest's rules and
// stores it, in one transaction with what follows:
//   - a record in needs_metadata is completed: it goes on to assemble, sign
//     and store;
//   - an available record is corrected: the correction is kept with who,
//     when, why and the values before (the signed PDF keeps those), and the
//     record is indexed again.
//
// Who scanned and when are facts of the scan and are kept. Bad metadata or
// a missing reason is a *RowError naming the field (an archive.ErrInvalid);
// a record in any other state is an archive.ErrConflict.
func (in *Intake) UpdateMetadata(ctx context.Context, id string, ch MetadataChange) (*archive.Record, error) {
	if ch.By == nil {
		return nil, fmt.Errorf("ingest: update metadata of %s: nobody: %w", id, archive.ErrInvalid)
	}
	m := ch.Meta
	m.IssuedOn, m.ValidUntil = dateOnly(m.IssuedOn), dateOnly(m.ValidUntil)
	if err := CheckMetadata(m); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(ch.Reason)
	var rec *archive.Record
	err := in.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		var err error
		if rec, err = tx.Record(ctx, id); err != nil {
			return err
		}
		m.ScannedBy, m.ScannedAt, m.ScannedAtFrom = rec.Meta.ScannedBy, rec.Meta.ScannedAt, rec.Meta.ScannedAtFrom
		switch rec.Status {
		case archive.StatusNeedsMetadata:
			rec.Meta, rec.Status, rec.Reason, rec.ReasonField = m, archive.StatusNormalised, "", ""
			if err := tx.UpdateRecord(ctx, rec); err != nil {
				return err
			}
			return in.cfg.Enqueue(ctx, tx, AssembleArgs{RecordID: id})
		case archive.StatusAvailable:
			if err := checkReason(reason, rec.Meta, m); err != nil {
				return err
			}
			c := &archive.Correction{RecordID: id, CorrectedBy: ch.By.ID, CorrectedByName: ch.By.Name,
				CorrectedAt: in.cfg.Now(), Reason: reason, Before: rec.Meta, After: m}
			if err := tx.AddCorrection(ctx, c); err != nil {
				return err
			}
			rec.Meta = m
			if err := tx.UpdateRecord(ctx, rec); err != nil {
				return err
			}
			return in.cfg.Enqueue(ctx, tx, ReindexArgs{RecordID: id})
		}
		return archive.NewError(archive.ErrConflict,
			fmt.Sprintf("hồ sơ đang ở trạng thái %s: chỉ sửa được hồ sơ chờ bổ sung thông tin hoặc đã sẵn sàng", rec.Status),
			fmt.Sprintf("the record is %s: only a record waiting for metadata or available can be changed", rec.Status))
	})
	var re *RowError
	if errors.As(err, &re) {
		return nil, re // names the field, for a person
	}
	if err != nil {
		return nil, fmt.Errorf("ingest: update metadata of %s: %w", id, err)
	}
	return rec, nil
}

// checkReason refuses a correction without a reason, with too long a one,
// or that changes nothing.
func checkReason(reason string, before, after archive.Metadata) error {
	switch {
	case reason == "":
		return &RowError{Column: "reason", VI: "cần ghi lý do sửa thông tin", EN: "a reason for the correction is required"}
	case utf8.RuneCountInString(reason) > archive.MaxCorrectionReason || !utf8.ValidString(reason):
		return &RowError{Column: "reason", VI: fmt.Sprintf("lý do dài quá %d ký tự", archive.MaxCorrectionReason),
			EN: fmt.Sprintf("the reason is longer than %d characters", archive.MaxCorrectionReason)}
	case sameMeta(before, after):
		return &RowError{VI: "không có thông tin nào thay đổi", EN: "nothing was changed"}
	}
	return nil
}

// sameMeta reports whether a and b hold the same values.
func sameMeta(a, b archive.Metadata) bool {
	a.IssuedOn, a.ValidUntil, a.ScannedAt = dateOnly(a.IssuedOn), dateOnly(a.ValidUntil), a.ScannedAt.UTC()
	b.IssuedOn, b.ValidUntil, b.ScannedAt = dateOnly(b.IssuedOn), dateOnly(b.ValidUntil), b.ScannedAt.UTC()
	return a == b
}

// dateOnly is t's calendar date at UTC midnight, as metadata keeps dates;
// zero stays zero.
func dateOnly(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}
