package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// meView is the citizen's "my documents" screen.
type meView struct {
	Records []RecordView
	Shares  []shareRow
	Error   string // why a share was not made
	Today   string // a date to show as the format of "until"
}

// shareRow is one share with the name of what it shares.
type shareRow struct {
	archive.Share
	DocName, Number string
	State           string // active, revoked or ended
}

// mePage shows GET /me: the citizen's documents, a share form for each and
// the shares they granted.
func (s *Server) mePage(w http.ResponseWriter, r *http.Request) {
	s.showMe(w, r, http.StatusOK, "")
}

func (s *Server) showMe(w http.ResponseWriter, r *http.Request, code int, problem string) {
	u := userFrom(r.Context())
	recs, err := s.cfg.Catalog.RecordsByHolder(r.Context(), u.HolderID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	shares, err := s.cfg.Catalog.Shares(r.Context(), u.HolderID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v := meView{Error: problem, Today: pageDate(s.now().In(archive.Vietnam))}
	byID := map[string]*archive.Record{}
	for i := range recs {
		byID[recs[i].ID] = &recs[i]
		if recs[i].Status == archive.StatusAvailable {
			v.Records = append(v.Records, s.view(&recs[i]))
		}
	}
	now := s.now()
	for _, sh := range shares {
		row := shareRow{Share: sh, State: "active"}
		switch {
		case !sh.RevokedAt.IsZero():
			row.State = "revoked"
		case !sh.Active(now):
			row.State = "ended"
		}
		if rec, ok := byID[sh.RecordID]; ok {
			row.DocName, row.Number = rec.Meta.DocName, rec.Meta.Number
		}
		v.Shares = append(v.Shares, row)
	}
	s.render(w, r, code, "me.html", "me.title", v)
}

// LastDay is the last day the share grants access (Until is the instant
// after it).
func (r shareRow) LastDay() time.Time { return r.Until.Add(-24 * time.Hour) }

// sharePage answers the share form (POST /me/shares): it shares a record
// with an agency until a date typed dd/mm/yyyy, then goes back to /me.
func (s *Server) sharePage(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PostFormValue("record"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	until, err := parsePageDate(r.PostFormValue("until"))
	if err == nil {
		_, err = s.grantShare(r, rec, r.PostFormValue("agency"), r.PostFormValue("dossier"), until)
	}
	if err != nil {
		code := statusOf(err)
		if code >= 500 {
			s.writeError(w, r, err)
			return
		}
		s.showMe(w, r, code, errorText(langOf(r), err, code))
		return
	}
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

// revokePage answers a share's revoke button (POST /me/shares/{id}/revoke).
func (s *Server) revokePage(w http.ResponseWriter, r *http.Request) {
	if _, err := s.revoke(r, r.PathValue("id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

// accessView lists who reached the citizen's documents.
type accessView struct {
	Events []accessRow
}

// accessRow is one audit entry about one of the citizen's documents.
type accessRow struct {
	archive.AuditEvent
	DocName, Number string
	Own             bool // the citizen did it
}

// accessActions are the audit actions that reach a document.
var accessActions = []string{"view", "download", "copy", "share", "revoke", "lookup", "edit"}

// accessPage shows GET /me/access: every view, download, copy, share and
// revoke of the citizen's documents in the audit log, newest first.
func (s *Server) accessPage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	recs, err := s.cfg.Catalog.RecordsByHolder(r.Context(), u.HolderID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	byID := map[string]*archive.Record{}
	for i := range recs {
		byID[recs[i].ID] = &recs[i]
	}
	var v accessView
	err = s.cfg.Catalog.AuditEvents(r.Context(), 0, func(e *archive.AuditEvent) error {
		rec, ok := byID[e.Object]
		if !ok || !slices.Contains(accessActions, e.Action) {
			return nil
		}
		v.Events = append(v.Events, accessRow{AuditEvent: *e, DocName: rec.Meta.DocName, Number: rec.Meta.Number,
			Own: e.Actor == u.ID})
		return nil
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	slices.Reverse(v.Events)
	s.render(w, r, http.StatusOK, "access.html", "access.title", v)
}

// Via is how a copy or download was made, from the entry's detail: the
// copy's form, without codes or IDs.
func (r accessRow) Via() string {
	if r.Action == "copy" {
		if f := strings.Fields(r.Detail); len(f) > 1 {
			return f[1]
		}
	}
	return ""
}
