package web

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/khoso-vn/khoso/archive"
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
	ID  string `json:"id"`
	Row int    `json:"row"`
	// ResultCode is the document's result code, given when the batch is
	// accepted (archive.Record.ResultCode).
	ResultCode string `json:"result_code,omitempty"`
	// Number and the holder are the row's as the manifest gave them, so
	// a clerk finds the paper document.
	Number     string         `json:"number,omitempty"`
	HolderName string         `json:"holder_name,omitempty"`
	HolderID   string         `json:"holder_id,omitempty"`
	Status     archive.Status `json:"status"`
	Reason     string         `json:"reason,omitempty"`
	// ReasonField is the metadata field (manifest column) Reason is about.
	ReasonField string   `json:"reason_field,omitempty"`
	Notes       []string `json:"notes,omitempty"` // page facts the clerk should see: blank, deskewed
	// Waiting says why a document that is not done is held back.
	Waiting string `json:"waiting,omitempty"`
}

// createBatch takes a multipart upload (see readBatch) and answers with the
// batch's state.
func (s *Server) createBatch(w http.ResponseWriter, r *http.Request) {
	bu, err := s.readBatch(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer bu.close()
	b, err := s.acceptBatch(r, bu)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
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

// getBatch shows a batch to admins and to clerks of the batch's agency.
func (s *Server) getBatch(w http.ResponseWriter, r *http.Request) {
	b, err := s.visibleBatch(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.renderBatch(w, r, b.ID, http.StatusOK)
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
		st := RecordState{ID: rec.ID, Row: rec.Row, ResultCode: rec.ResultCode, Number: rec.Meta.Number, HolderName: rec.Meta.HolderName,
			HolderID: rec.Meta.HolderID, Status: rec.Status, Reason: rec.Reason, ReasonField: rec.ReasonField}
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
