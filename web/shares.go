package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// ShareRequest is what a citizen sends to share a record with an agency.
type ShareRequest struct {
	Agency      string `json:"agency"`
	DossierCode string `json:"dossier_code"`
	Until       string `json:"until"` // dd/mm/yyyy (as in the manifest) or yyyy-mm-dd, inclusive
}

// untilLayouts are the spellings of ShareRequest.Until: the manifest's
// day-first dates, then ISO 8601.
var untilLayouts = []string{"02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", time.DateOnly}

// errShareRequest refuses a share request that lacks a field or whose
// date is not a future one.
var errShareRequest = archive.NewError(archive.ErrInvalid,
	"cần cơ quan (agency), mã hồ sơ (dossier_code) và ngày hết hạn (until) trong tương lai, dạng dd/mm/yyyy hoặc yyyy-mm-dd",
	"agency, dossier_code and a future until (dd/mm/yyyy or yyyy-mm-dd) are required")

// parseUntil reads a share's last day.
func parseUntil(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range untilLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errShareRequest
}

// createShare: the record's holder grants an agency access for one dossier
// until a date.
func (s *Server) createShare(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req ShareRequest
	if err := decodeJSON(r, &req, 1<<16); err != nil {
		s.writeError(w, r, err)
		return
	}
	until, err := parseUntil(req.Until)
	if err != nil {
		s.writeError(w, r, errShareRequest)
		return
	}
	sh, err := s.grantShare(r, rec, req.Agency, req.DossierCode, until)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sh)
}

// grantShare lets agency see rec for dossier until the end of day until,
// and audits it. The caller is the record's holder.
func (s *Server) grantShare(r *http.Request, rec *archive.Record, agency, dossier string, until time.Time) (*archive.Share, error) {
	agency, dossier = strings.TrimSpace(agency), strings.TrimSpace(dossier)
	now := s.now()
	if agency == "" || dossier == "" || !until.After(now) {
		return nil, errShareRequest
	}
	sh := &archive.Share{ID: archive.NewID("s", now), RecordID: rec.ID, HolderID: userFrom(r.Context()).HolderID,
		Agency: agency, DossierCode: dossier, Until: until.Add(24 * time.Hour), CreatedAt: now}
	if err := s.cfg.Catalog.Update(r.Context(), func(tx archive.CatalogTx) error { return tx.PutShare(r.Context(), sh) }); err != nil {
		return nil, err
	}
	s.audit(r, "share", rec.ID, "ok", fmt.Sprintf("%s agency=%s dossier=%s until=%s", sh.ID, sh.Agency, sh.DossierCode,
		until.Format(time.DateOnly)))
	return sh, nil
}

// revokeShare ends a share its grantor made.
func (s *Server) revokeShare(w http.ResponseWriter, r *http.Request) {
	sh, err := s.revoke(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sh)
}

// revoke ends share id, which the caller must have granted, and audits it.
func (s *Server) revoke(r *http.Request, id string) (*archive.Share, error) {
	u := userFrom(r.Context())
	var sh *archive.Share
	err := s.cfg.Catalog.Update(r.Context(), func(tx archive.CatalogTx) error {
		var err error
		if sh, err = tx.Share(r.Context(), id); err != nil {
			return err
		}
		if sh.HolderID != u.HolderID {
			return fmt.Errorf("web: share %s: %w", sh.ID, archive.ErrNotFound)
		}
		if sh.RevokedAt.IsZero() {
			sh.RevokedAt = s.now()
		}
		return tx.PutShare(r.Context(), sh)
	})
	if err != nil {
		return nil, err
	}
	s.audit(r, "revoke", sh.RecordID, "ok", sh.ID)
	return sh, nil
}

// myRecords lists the caller's own results, with validity.
func (s *Server) myRecords(w http.ResponseWriter, r *http.Request) {
	recs, err := s.cfg.Catalog.RecordsByHolder(r.Context(), userFrom(r.Context()).HolderID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]RecordView, 0, len(recs))
	for i := range recs {
		if recs[i].Status == archive.StatusAvailable {
			out = append(out, s.view(&recs[i]))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// myShares lists the shares the caller granted.
func (s *Server) myShares(w http.ResponseWriter, r *http.Request) {
	shares, err := s.cfg.Catalog.Shares(r.Context(), userFrom(r.Context()).HolderID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if shares == nil {
		shares = []archive.Share{}
	}
	writeJSON(w, http.StatusOK, shares)
}

// getAudit lists audit entries after ?after=SEQ, at most 1000.
func (s *Server) getAudit(w http.ResponseWriter, r *http.Request) {
	var after int64
	fmt.Sscan(r.URL.Query().Get("after"), &after)
	out := []archive.AuditEvent{}
	stop := errors.New("page full")
	err := s.cfg.Catalog.AuditEvents(r.Context(), after, func(e *archive.AuditEvent) error {
		out = append(out, *e)
		if len(out) == 1000 {
			return stop
		}
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
