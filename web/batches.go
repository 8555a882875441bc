package web

import (
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"unicode"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// HeaderSHA256 optionally carries the hex SHA-256 of an uploaded file part;
// when present the server refuses bytes that do not match it.
const HeaderSHA256 = "X-Content-Sha256"

// BatchResponse describes a batch and the state of each of its documents.
type BatchResponse struct {
	Batch   archive.BatchSummary `json:"batch"`
	Records []RecordState        `json:"records"`
}

// RecordState is one document's progress.
type RecordState struct {
	ID     string         `json:"id"`
	Row    int            `json:"row"`
	Status archive.Status `json:"status"`
	Reason string         `json:"reason,omitempty"`
	// ReasonField is the metadata field (manifest column) Reason is about.
	ReasonField string   `json:"reason_field,omitempty"`
	Notes       []string `json:"notes,omitempty"` // page facts the clerk should see: blank, deskewed
	// Waiting says why a document that is not done is held back.
	Waiting string `json:"waiting,omitempty"`
}

// createBatch takes a multipart upload: one "manifest" part (CSV), one
// "file" part per file, named by its path relative to the batch folder, and
// optionally an "agency" part (or ?agency=) naming the batch's agency; see
// batchAgency. A query parameter that cannot be the caller's is refused
// before the upload is read.
func (s *Server) createBatch(w http.ResponseWriter, r *http.Request) {
	named := r.URL.Query().Get("agency")
	if _, err := s.batchAgency(userFrom(r.Context()), named); err != nil {
		s.audit(r, "denied", "", "denied", "batch for agency "+named)
		s.writeError(w, r, err) // before reading a byte of the upload
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		s.writeError(w, r, fmt.Errorf("cần tải lên dạng multipart / expected a multipart upload: %w", archive.ErrInvalid))
		return
	}
	up, err := s.cfg.Intake.NewUpload()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer up.Close() // staged files no accepted row names are forgotten
	in := ingest.BatchInput{Files: map[string]archive.Ref{}, Upload: up}
	var haveManifest bool
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.writeError(w, r, fmt.Errorf("web: read upload: %w", err))
			return
		}
		switch part.FormName() {
		case "manifest":
			haveManifest = true
			in.Rows, err = ingest.ParseManifest(part)
		case "file":
			err = s.receiveFile(r, part, up, in.Files)
		case "agency":
			named, err = formValue(part)
		}
		part.Close()
		if err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if !haveManifest {
		s.writeError(w, r, fmt.Errorf("thiếu bảng kê / the upload has no manifest: %w", ingest.ErrManifest))
		return
	}
	u := userFrom(r.Context())
	if in.Agency, err = s.batchAgency(u, named); err != nil {
		s.audit(r, "denied", "", "denied", "batch for agency "+named)
		s.writeError(w, r, err)
		return
	}
	in.CreatedBy, in.UploaderRole = u.Name, u.Role
	b, err := s.cfg.Intake.Accept(r.Context(), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "ingest", b.ID, "ok", fmt.Sprintf("%d rows, %d files", len(in.Rows), len(in.Files)))
	s.renderBatch(w, r, b.ID, http.StatusAccepted)
}

// errOtherAgency refuses a clerk's batch for an agency not their own.
var errOtherAgency = archive.NewError(errForbidden, "cán bộ văn thư chỉ gửi lô cho cơ quan của mình",
	"a clerk sends batches only for their own agency")

// errAgencyCode refuses an agency code that is not one.
var errAgencyCode = archive.NewError(archive.ErrInvalid,
	"mã cơ quan chỉ gồm chữ, số và - . _ (tối đa 64 ký tự)",
	"an agency code has only letters, digits and - . _ (at most 64 characters)")

// batchAgency is the agency a batch u sends belongs to: a clerk's own (a
// clerk may name it, never another); for an admin, the agency named (the
// form field or query parameter "agency"), else the server's own.
func (s *Server) batchAgency(u *archive.User, named string) (string, error) {
	named = strings.TrimSpace(named)
	switch {
	case u.Role != archive.RoleAdmin:
		if named != "" && named != u.Agency {
			return "", errOtherAgency
		}
		return u.Agency, nil
	case named == "":
		return s.cfg.Agency, nil
	case !validAgencyCode(named):
		return "", errAgencyCode
	}
	return named, nil
}

// validAgencyCode reports whether code is 1 to 64 letters, digits, '-', '.'
// or '_' (agency codes such as "UBND-HN" or "000.00.01.H26").
func validAgencyCode(code string) bool {
	if code == "" || len(code) > 64 {
		return false
	}
	for _, c := range code {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune("-._", c) {
			return false
		}
	}
	return true
}

// formValue reads a small text part of a multipart upload.
func formValue(part *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, 257))
	if err != nil {
		return "", fmt.Errorf("web: read form field %q: %w", part.FormName(), err)
	}
	if len(b) > 256 {
		return "", archive.NewError(archive.ErrInvalid, "trường "+part.FormName()+" quá dài", "field "+part.FormName()+" is too long")
	}
	return string(b), nil
}

// receiveFile stores one uploaded file under its relative path.
func (s *Server) receiveFile(r *http.Request, part *multipart.Part, up *ingest.Upload, files map[string]archive.Ref) error {
	name, err := partPath(part)
	if err != nil {
		return err
	}
	var want archive.Ref
	if h := part.Header.Get(HeaderSHA256); h != "" {
		if want, err = archive.ParseRef("sha256-" + strings.ToLower(h)); err != nil {
			return fmt.Errorf("web: file %q: bad %s: %w", name, HeaderSHA256, err)
		}
	}
	ref, _, err := up.Add(r.Context(), part, want)
	if err != nil {
		return fmt.Errorf("web: file %q: %w", name, err)
	}
	files[name] = ref
	return nil
}

// partPath returns the relative path a file part was sent under.
// (multipart.Part.FileName keeps only the base name.)
func partPath(part *multipart.Part) (string, error) {
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	name := params["filename"]
	if err != nil || name == "" {
		return "", fmt.Errorf("web: file part without a file name: %w", archive.ErrInvalid)
	}
	name = path.Clean(strings.ReplaceAll(name, "\\", "/"))
	if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
		return "", fmt.Errorf("web: file name %q leaves the batch folder: %w", name, archive.ErrInvalid)
	}
	return name, nil
}

// getBatch shows a batch to admins and to clerks of the batch's agency.
func (s *Server) getBatch(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	b, err := s.cfg.Catalog.Batch(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if u := userFrom(r.Context()); u.Role != archive.RoleAdmin && s.agencyOf(b.Agency) != u.Agency {
		s.audit(r, "denied", id, "denied", "batch of another agency")
		s.writeError(w, r, fmt.Errorf("web: batch %s: %w", id, archive.ErrNotFound))
		return
	}
	s.renderBatch(w, r, id, http.StatusOK)
}

func (s *Server) renderBatch(w http.ResponseWriter, r *http.Request, id string, code int) {
	sum, err := s.cfg.Catalog.Batch(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	recs, err := s.cfg.Catalog.BatchRecords(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := BatchResponse{Batch: *sum, Records: make([]RecordState, 0, len(recs))}
	for _, rec := range recs {
		st := RecordState{ID: rec.ID, Row: rec.Row, Status: rec.Status, Reason: rec.Reason, ReasonField: rec.ReasonField}
		if !rec.Status.Done() && s.cfg.StorageFault != nil && s.cfg.StorageFault() != nil {
			st.Waiting = MsgWaitingForSpace
		}
		if rec.Status.Done() && rec.Status != archive.StatusFailed {
			full, err := s.cfg.Catalog.Record(r.Context(), rec.ID)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			for _, p := range full.Pages {
				if p.Notes != "" {
					st.Notes = append(st.Notes, fmt.Sprintf("trang/page %d: %s", p.N, p.Notes))
				}
			}
		}
		resp.Records = append(resp.Records, st)
	}
	writeJSON(w, code, resp)
}
