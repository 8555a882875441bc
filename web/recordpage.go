package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// recordView is the record screen: the record, the copy form and the
// copies issued from it.
type recordView struct {
	Rec        RecordView
	Pages      []int // page numbers, for the extract's page picker
	CanCopy    bool  // the copy form is shown
	ShowCopies bool  // the copy history is shown
	Copies     []archive.Copy
	Issued     *archive.Copy // the copy just issued
	Form       CopyRequest   // what the copy form held
	Picked     map[int]bool  // pages ticked in the form
	Error      string        // why the copy was not issued
	CanEdit    bool          // the link to the metadata form is shown
	// Corrections are the changes of the metadata since it was signed.
	Corrections []correctionRow
}

// correctionRow is one correction as the record page shows it: each field
// it changed, from the value signed into the PDF to the one it set.
type correctionRow struct {
	archive.Correction
	Changes []fieldChange
}

// fieldChange is one corrected field.
type fieldChange struct {
	Label         string // message key
	Signed, After string
}

// correctionRows pairs each correction's changed fields with the values
// signed into the PDF (the first correction's values before).
func correctionRows(cs []archive.Correction) []correctionRow {
	if len(cs) == 0 {
		return nil
	}
	signed := metaValues(cs[0].Before)
	out := make([]correctionRow, 0, len(cs))
	for _, c := range cs {
		before, after := metaValues(c.Before), metaValues(c.After)
		row := correctionRow{Correction: c}
		for _, f := range ingest.MetadataFields {
			if before[f] != after[f] {
				row.Changes = append(row.Changes, fieldChange{Label: fieldLabels[f], Signed: signed[f], After: after[f]})
			}
		}
		out = append(out, row)
	}
	return out
}

// canCopy reports whether role may issue copies.
func canCopy(role archive.Role) bool { return role == archive.RoleHandler || role == archive.RoleAdmin }

// recordPage shows GET /records/{id}; ?copy=CODE names a copy just issued
// from it.
func (s *Server) recordPage(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "view", rec.ID, "ok", "page")
	v := recordView{Form: CopyRequest{Form: archive.FormSaoY}}
	if code := r.URL.Query().Get("copy"); code != "" {
		if cp, err := s.cfg.Catalog.CopyByCode(r.Context(), code); err == nil && cp.RecordID == rec.ID {
			v.Issued = cp
		}
	}
	s.showRecord(w, r, http.StatusOK, rec, v)
}

func (s *Server) showRecord(w http.ResponseWriter, r *http.Request, code int, rec *archive.Record, v recordView) {
	role := userFrom(r.Context()).Role
	v.Rec, v.CanCopy = s.view(rec), canCopy(role) && rec.Status == archive.StatusAvailable
	v.ShowCopies = role != archive.RoleClerk
	v.CanEdit = (role == archive.RoleClerk || role == archive.RoleAdmin) &&
		(rec.Status == archive.StatusAvailable || rec.Status == archive.StatusNeedsMetadata)
	if rec.Status == archive.StatusAvailable {
		cs, err := s.cfg.Catalog.Corrections(r.Context(), rec.ID)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		v.Corrections = correctionRows(cs)
	}
	for _, p := range rec.Pages {
		v.Pages = append(v.Pages, p.N)
	}
	if v.ShowCopies {
		cps, err := s.cfg.Catalog.Copies(r.Context(), rec.ID)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		v.Copies = cps
	}
	s.render(w, r, code, "record.html", "record.title", v)
}

// copyPage answers the copy form (POST /records/{id}/copies): it issues
// the copy and shows it on the record page, or shows the form again with
// what was wrong.
func (s *Server) copyPage(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, archive.Wrap(archive.ErrInvalid, "biểu mẫu không đọc được", "the form cannot be read", err))
		return
	}
	req := CopyRequest{Form: r.PostForm.Get("form"), Pages: strings.TrimSpace(r.PostForm.Get("pages")),
		For: strings.TrimSpace(r.PostForm.Get("for")), Purpose: strings.TrimSpace(r.PostForm.Get("purpose"))}
	picked := map[int]bool{}
	if ticked := r.PostForm["page"]; len(ticked) > 0 && req.Form == archive.FormTrichSao {
		req.Pages = strings.Join(ticked, ",")
		if ps, err := ParsePages(req.Pages); err == nil {
			for _, p := range ps {
				picked[p] = true
			}
		}
	}
	if req.Form != archive.FormTrichSao {
		req.Pages = ""
	}
	cp, err := s.copyFromForm(r, rec, req)
	if err != nil {
		code := statusOf(err)
		if code >= 500 || code == http.StatusNotFound {
			s.writeError(w, r, err)
			return
		}
		s.showRecord(w, r, code, rec, recordView{Form: req, Picked: picked, Error: errorText(langOf(r), err, code)})
		return
	}
	http.Redirect(w, r, "/records/"+url.PathEscape(rec.ID)+"?copy="+url.QueryEscape(cp.Code), http.StatusSeeOther)
}

var (
	errNoPages = archive.NewError(archive.ErrInvalid, "trích sao cần chọn ít nhất một trang",
		"an extract needs at least one page")
	errNoFor = archive.NewError(archive.ErrInvalid, "hãy ghi bản sao cấp cho ai", "say whom the copy is for")
)

// copyFromForm checks what a form may leave out, then issues the copy.
func (s *Server) copyFromForm(r *http.Request, rec *archive.Record, req CopyRequest) (*archive.Copy, error) {
	switch {
	case req.For == "":
		return nil, errNoFor
	case req.Form == archive.FormTrichSao && req.Pages == "":
		return nil, errNoPages
	}
	return s.issueCopy(r, rec, req)
}
