package archivehttp

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/khoso-vn/khoso/archive"
)

func (s *Server) getRecord(w http.ResponseWriter, r *http.Request) {
	rec, err := s.cfg.Catalog.Record(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

// getPDF streams the signed PDF of an available record.
func (s *Server) getPDF(w http.ResponseWriter, r *http.Request) {
	rec, err := s.cfg.Catalog.Record(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if rec.Status != archive.StatusAvailable {
		s.writeError(w, r, fmt.Errorf("hồ sơ %s chưa sẵn sàng (%s) / record %s is not available yet (%s): %w",
			rec.ID, rec.Status, rec.ID, rec.Status, archive.ErrConflict))
		return
	}
	rc, size, err := archive.OpenVersion(r.Context(), s.cfg.Blobs, rec.Result, rec.ResultVersion)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.pdf"`, rec.ID))
	w.Header().Set("Digest", "sha-256="+rec.Result.Hex())
	if _, err := io.Copy(w, rc); err != nil {
		s.cfg.Logger.Warn("download interrupted", "record", rec.ID, "err", err)
	}
}
