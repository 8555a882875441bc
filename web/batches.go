package web

import (
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"

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
	Notes  []string       `json:"notes,omitempty"` // page facts the clerk should see: blank, deskewed
	// Waiting says why a document that is not done is held back.
	Waiting string `json:"waiting,omitempty"`
}

// createBatch takes a multipart upload: one "manifest" part (CSV) and one
// "file" part per file, named by its path relative to the batch folder.
func (s *Server) createBatch(w http.ResponseWriter, r *http.Request) {
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
	if u := userFrom(r.Context()); u != nil {
		in.CreatedBy, in.Agency = u.Name, u.Agency
	}
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
	b, err := s.cfg.Intake.Accept(r.Context(), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "ingest", b.ID, "ok", fmt.Sprintf("%d rows, %d files", len(in.Rows), len(in.Files)))
	s.renderBatch(w, r, b.ID, http.StatusAccepted)
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
	if u := userFrom(r.Context()); u.Role != archive.RoleAdmin && b.Agency != u.Agency {
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
		st := RecordState{ID: rec.ID, Row: rec.Row, Status: rec.Status, Reason: rec.Reason}
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
