package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// RecordView is a record as the API shows it, with its validity now.
type RecordView struct {
	archive.Record
	Validity string `json:"validity"` // valid or expired
}

func (s *Server) view(rec *archive.Record) RecordView {
	return RecordView{Record: *rec, Validity: rec.Validity(s.now())}
}

func (s *Server) getRecord(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "view", rec.ID, "ok", "")
	writeJSON(w, http.StatusOK, s.view(rec))
}

// getPDF streams the signed PDF of an available record.
func (s *Server) getPDF(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if rec.Status != archive.StatusAvailable {
		s.writeError(w, r, fmt.Errorf("hồ sơ %s chưa sẵn sàng (%s) / record %s is not available yet (%s): %w",
			rec.ID, rec.Status, rec.ID, rec.Status, archive.ErrConflict))
		return
	}
	s.audit(r, "download", rec.ID, "ok", rec.Result.String())
	if err := s.serveBlob(w, r, download{ref: rec.Result, version: rec.ResultVersion, filename: recordFile(rec)}); err != nil {
		s.writeError(w, r, err)
	}
}

// MetadataUpdate is the body of PUT /api/v1/records/{id}/metadata: the
// record's metadata, as archive.Metadata writes it, and why it changes.
type MetadataUpdate struct {
	archive.Metadata
	// Reason says why an available record is corrected: required, at most
	// archive.MaxCorrectionReason characters. Completing a record that
	// waits for its metadata needs none.
	Reason string `json:"reason,omitempty"`
}

// putMetadata lets a clerk of the record's agency complete the metadata of
// a record waiting for it, which then goes on to be signed, or correct an
// available record's, with a reason; the search index follows.
func (s *Server) putMetadata(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var m MetadataUpdate
	if err := decodeJSON(r, &m, 1<<20); err != nil {
		s.writeError(w, r, err)
		return
	}
	updated, err := s.changeMetadata(r, rec, m.Metadata, m.Reason)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.view(updated))
}

// changeMetadata completes or corrects rec's metadata as the caller, and
// audits it with the reason.
func (s *Server) changeMetadata(r *http.Request, rec *archive.Record, m archive.Metadata, reason string) (*archive.Record, error) {
	updated, err := s.cfg.Intake.UpdateMetadata(r.Context(), rec.ID,
		ingest.MetadataChange{Meta: m, Reason: reason, By: userFrom(r.Context())})
	if err != nil {
		return nil, err
	}
	detail := "metadata completed"
	if rec.Status == archive.StatusAvailable {
		detail = "metadata corrected: " + strings.TrimSpace(reason)
	}
	s.audit(r, "edit", rec.ID, "ok", detail)
	return updated, nil
}

// getCorrections lists the corrections of a record's metadata, oldest
// first, to whoever may see the record.
func (s *Server) getCorrections(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cs, err := s.cfg.Catalog.Corrections(r.Context(), rec.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if cs == nil {
		cs = []archive.Correction{}
	}
	s.audit(r, "view", rec.ID, "ok", "corrections")
	writeJSON(w, http.StatusOK, cs)
}
