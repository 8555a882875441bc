package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/khoso-vn/khoso/archive"
)

// maxAgencyName bounds an agency's name in either language.
const maxAgencyName = 300

var errAgencyName = archive.NewError(archive.ErrInvalid,
	fmt.Sprintf("cần tên cơ quan bằng tiếng Việt, tối đa %d ký tự", maxAgencyName),
	fmt.Sprintf("an agency needs a Vietnamese name of at most %d characters", maxAgencyName))

// agenciesView is the agency registry screen.
type agenciesView struct {
	Agencies []archive.AgencySummary
	Own      string // the server's own agency code
	Form     archive.Agency
	Error    string
}

// agencies returns the registry and the codes in use, with the server's
// own agency always among them; records made before every record had an
// agency count as the server's own.
func (s *Server) agencies(ctx context.Context) ([]archive.AgencySummary, error) {
	list, err := s.cfg.Catalog.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	var legacy int
	if i := slices.IndexFunc(list, func(a archive.AgencySummary) bool { return a.Code == "" }); i >= 0 {
		legacy = list[i].Records
		list = slices.Delete(list, i, i+1)
	}
	j := slices.IndexFunc(list, func(a archive.AgencySummary) bool { return a.Code == s.cfg.Agency })
	if j < 0 {
		list = append(list, archive.AgencySummary{Agency: archive.Agency{Code: s.cfg.Agency}})
		slices.SortFunc(list, func(a, b archive.AgencySummary) int { return strings.Compare(a.Code, b.Code) })
		j = slices.IndexFunc(list, func(a archive.AgencySummary) bool { return a.Code == s.cfg.Agency })
	}
	list[j].Records += legacy
	return list, nil
}

// agenciesPage shows GET /admin/agencies[?code=CODE]: every agency, named
// or not, with its users and records; the form names the agency code asks
// for.
func (s *Server) agenciesPage(w http.ResponseWriter, r *http.Request) {
	v := agenciesView{Form: archive.Agency{Code: strings.TrimSpace(r.URL.Query().Get("code"))}}
	s.showAgencies(w, r, http.StatusOK, v)
}

func (s *Server) showAgencies(w http.ResponseWriter, r *http.Request, code int, v agenciesView) {
	list, err := s.agencies(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v.Agencies, v.Own = list, s.cfg.Agency
	if v.Form.NameVi == "" {
		if i := slices.IndexFunc(list, func(a archive.AgencySummary) bool { return a.Code == v.Form.Code }); i >= 0 {
			v.Form = list[i].Agency
		}
	}
	s.render(w, r, code, "admin_agencies.html", "admin.agencies.title", v)
}

// putAgencyPage answers POST /admin/agencies: it registers an agency or
// renames it.
func (s *Server) putAgencyPage(w http.ResponseWriter, r *http.Request) {
	if !s.readAdminForm(w, r) {
		return
	}
	a := &archive.Agency{Code: strings.TrimSpace(r.PostFormValue("code")), NameVi: strings.TrimSpace(r.PostFormValue("name_vi")),
		NameEn: strings.TrimSpace(r.PostFormValue("name_en"))}
	err := checkAgency(a)
	if err == nil {
		err = s.cfg.Catalog.Update(r.Context(), func(tx archive.CatalogTx) error { return tx.PutAgency(r.Context(), a) })
	}
	if err != nil {
		if code := statusOf(err); code < 500 {
			s.showAgencies(w, r, code, agenciesView{Form: *a, Error: errorText(langOf(r), err, code)})
			return
		}
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "agency", a.Code, "ok", "name_vi="+strconv.Quote(a.NameVi)+" name_en="+strconv.Quote(a.NameEn))
	http.Redirect(w, r, "/admin/agencies", http.StatusSeeOther)
}

// checkAgency refuses a code that is not one and names that are missing
// or too long.
func checkAgency(a *archive.Agency) error {
	bad := func(s string) bool {
		return utf8.RuneCountInString(s) > maxAgencyName || strings.IndexFunc(s, unicode.IsControl) >= 0
	}
	switch {
	case !validAgencyCode(a.Code):
		return errAgencyCode
	case a.NameVi == "" || bad(a.NameVi) || bad(a.NameEn):
		return errAgencyName
	}
	return nil
}
