package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/copies"
)

// CopyRequest is the body of POST /api/v1/records/{id}/copies.
type CopyRequest struct {
	Form    string `json:"form"`            // sao-y or trich-sao
	Pages   string `json:"pages,omitempty"` // for trich-sao: "1-2,4"
	For     string `json:"for"`
	Purpose string `json:"purpose,omitempty"`
}

// createCopy issues a certified copy of a record the caller may see.
func (s *Server) createCopy(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req CopyRequest
	if err := decodeJSON(r, &req, 1<<16); err != nil {
		s.writeError(w, r, err)
		return
	}
	cp, err := s.issueCopy(r, rec, req)
	if errors.Is(err, errTooMany) {
		s.tooMany(w, r)
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, cp)
}

// issueCopy issues the copy req asks for of rec, within the caller's
// copy rate, and audits it. Over the rate it returns errRateLimited.
func (s *Server) issueCopy(r *http.Request, rec *archive.Record, req CopyRequest) (*archive.Copy, error) {
	pages, err := ParsePages(req.Pages)
	if err != nil {
		return nil, err
	}
	u := userFrom(r.Context())
	if !s.copies.allow(u.ID, s.now()) {
		return nil, errRateLimited
	}
	cp, err := s.cfg.Copier.Issue(r.Context(), copies.Request{RecordID: rec.ID, Form: req.Form, Pages: pages,
		For: req.For, Purpose: req.Purpose, IssuedBy: u.ID})
	if err != nil {
		return nil, err
	}
	s.audit(r, "copy", rec.ID, "ok", fmt.Sprintf("%s %s for=%q code=%s", cp.ID, cp.Form, cp.For, cp.Code))
	return cp, nil
}

// listCopies lists the copies issued from a record.
func (s *Server) listCopies(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cps, err := s.cfg.Catalog.Copies(r.Context(), rec.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if cps == nil {
		cps = []archive.Copy{}
	}
	writeJSON(w, http.StatusOK, cps)
}

// getCopyPDF streams a copy of a record the caller may see. A code that is
// unknown and a code of a record out of scope answer alike.
func (s *Server) getCopyPDF(w http.ResponseWriter, r *http.Request) {
	var recordID string
	cp, err := s.cfg.Catalog.CopyByCode(r.Context(), r.PathValue("code"))
	if err == nil {
		recordID = cp.RecordID
	} else if !errors.Is(err, archive.ErrNotFound) {
		s.writeError(w, r, err)
		return
	}
	rec, err := s.visibleRecord(r, recordID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "download", cp.RecordID, "ok", "copy "+cp.ID)
	if err := s.serveBlob(w, r, download{ref: cp.Result, version: cp.Version, filename: copyFile(rec, cp)}); err != nil {
		s.writeError(w, r, err)
	}
}

// ParsePages reads a page list such as "1-2,4" into page numbers.
func ParsePages(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil || a < 1 || b < a || b-a > 10000 {
			return nil, fmt.Errorf("web: trang %q không hợp lệ / pages %q: write e.g. 1-2,4: %w", s, s, archive.ErrInvalid)
		}
		for n := a; n <= b; n++ {
			out = append(out, n)
		}
	}
	return out, nil
}
