package web

import (
	"fmt"
	"net/http"

	"github.com/khoso-vn/khoso/archive"
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

// putMetadata lets a clerk of the record's agency correct its metadata;
// the search index follows.
func (s *Server) putMetadata(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var m archive.Metadata
	if err := decodeJSON(r, &m, 1<<20); err != nil {
		s.writeError(w, r, err)
		return
	}
	updated, err := s.cfg.Intake.UpdateMetadata(r.Context(), rec.ID, m)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "edit", rec.ID, "ok", "metadata")
	writeJSON(w, http.StatusOK, s.view(updated))
}
