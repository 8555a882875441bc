package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/search"
)

// searchPageSize is how many hits one page of /search shows.
const searchPageSize = 20

// searchForm is what the search screen's GET form sends: text, filters and
// the page number; dates are dd/mm/yyyy.
type searchForm struct {
	Q, Type, Issuer, Validity, From, To string
	ResultType                          string // mã kết quả
	Page                                int    // 1-based
}

// searchView is the search screen.
type searchView struct {
	Form          searchForm
	Error         string
	Total         uint64
	First, Last   int // positions of this page's hits, 1-based
	Records       []RecordView
	Facets        []facetGroup
	Validities    []string // the validity filter's choices
	PrevURL, Next string
}

// facetGroup is one facet: its values as links that filter by them.
type facetGroup struct {
	Key    string // message key of its heading
	Values []facetLink
}

// facetLink filters the search by one value.
type facetLink struct {
	Label  string
	Count  int
	Href   string
	Active bool
}

func readSearchForm(v url.Values) searchForm {
	f := searchForm{Q: v.Get("q"), Type: v.Get("type"), Issuer: v.Get("issuer"), Validity: v.Get("validity"),
		From: v.Get("from"), To: v.Get("to"), ResultType: v.Get("result_type")}
	f.Page, _ = strconv.Atoi(v.Get("page"))
	f.Page = max(f.Page, 1)
	return f
}

// values is f as a query string, with page p (1 is left out).
func (f searchForm) values(p int) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": f.Q, "type": f.Type, "issuer": f.Issuer, "validity": f.Validity,
		"from": f.From, "to": f.To, "result_type": f.ResultType} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if p > 1 {
		v.Set("page", strconv.Itoa(p))
	}
	return v
}

func (f searchForm) href(p int) string { return "/search?" + f.values(p).Encode() }

// query turns f into a search, sorted newest first when there is no text.
func (f searchForm) query() (search.Query, error) {
	q := search.Query{Text: f.Q, DocType: f.Type, Issuer: f.Issuer, Validity: f.Validity, ResultType: f.ResultType, Facets: true,
		Limit: searchPageSize, Offset: (f.Page - 1) * searchPageSize}
	if q.Text == "" {
		q.Sort = search.SortIssuedDesc
	}
	var err error
	if q.IssuedFrom, err = parsePageDate(f.From); err != nil {
		return q, err
	}
	q.IssuedTo, err = parsePageDate(f.To)
	return q, err
}

// searchPage shows GET /search: the form, one page of hits and the facets.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	f := readSearchForm(r.URL.Query())
	v := searchView{Form: f, Validities: []string{search.Valid, search.Expired, search.Cancelled}}
	q, err := f.query()
	if err != nil {
		v.Error = errorText(langOf(r), err, http.StatusBadRequest)
		s.render(w, r, http.StatusBadRequest, "search.html", "search.title", v)
		return
	}
	res, err := s.find(r, q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v.Total, v.Records = res.Total, res.Records
	v.First, v.Last = q.Offset+1, q.Offset+len(res.Records)
	if f.Page > 1 {
		v.PrevURL = f.href(f.Page - 1)
	}
	if uint64(v.Last) < res.Total {
		v.Next = f.href(f.Page + 1)
	}
	v.Facets = facetGroups(langOf(r), f, res.Facets)
	s.render(w, r, http.StatusOK, "search.html", "search.title", v)
}

// facetGroups lays out the facets as links; a value already filtered on
// links to the search without it.
func facetGroups(lang string, f searchForm, fc *search.Facets) []facetGroup {
	if fc == nil {
		return nil
	}
	group := func(key string, counts []search.FacetCount, cur string, labels string, set func(*searchForm, string)) facetGroup {
		g := facetGroup{Key: key}
		for _, c := range counts {
			if c.Count == 0 {
				continue
			}
			l := facetLink{Label: c.Value, Count: c.Count, Active: cur == c.Value}
			if labels != "" {
				l.Label = label(lang, labels, c.Value)
			}
			next := f
			if l.Active {
				set(&next, "")
			} else {
				set(&next, c.Value)
			}
			l.Href = next.href(1)
			g.Values = append(g.Values, l)
		}
		return g
	}
	return []facetGroup{
		group("search.type", fc.DocType, f.Type, "", func(n *searchForm, v string) { n.Type = v }),
		group("search.issuer", fc.Issuer, f.Issuer, "", func(n *searchForm, v string) { n.Issuer = v }),
		group("field.result_type", fc.ResultType, f.ResultType, "", func(n *searchForm, v string) { n.ResultType = v }),
		group("search.validity", fc.Validity, f.Validity, "validity", func(n *searchForm, v string) { n.Validity = v }),
	}
}

// Expired reports whether v's result is no longer valid.
func (v RecordView) Expired() bool { return v.Validity == archive.ValidityExpired }
