package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/search"
)

// SearchResponse is a page of matching records the caller may see.
type SearchResponse struct {
	Total   uint64         `json:"total"` // every visible match, not only this page
	Records []RecordView   `json:"records"`
	Facets  *search.Facets `json:"facets,omitempty"`
}

// search answers GET /api/v1/search?q=&type=&holder=&issuer=&procedure=&result_type=&validity=
// &issued_from=&issued_to=&sort=&facets=1&limit=&offset=. The caller's scope
// filters inside the query, so totals, facets and pages count only what the
// caller may see.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp, err := s.find(r, q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// find runs q within the caller's scope and loads the hits' records, all
// in one catalog call.
func (s *Server) find(r *http.Request, q search.Query) (SearchResponse, error) {
	scope, err := s.scopeOf(r.Context(), userFrom(r.Context()))
	if err != nil {
		return SearchResponse{}, err
	}
	q.Scope, q.Now = searchScope(scope), s.now()
	res, err := s.cfg.Index.Search(r.Context(), q)
	if err != nil {
		return SearchResponse{}, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	recs, err := s.cfg.Catalog.RecordsByID(r.Context(), ids)
	if err != nil {
		return SearchResponse{}, fmt.Errorf("web: search hits: %w", err)
	}
	if len(recs) != len(ids) {
		return SearchResponse{}, fmt.Errorf("web: search hits: %d of %d are not in the catalog", len(ids)-len(recs), len(ids))
	}
	resp := SearchResponse{Total: res.Total, Records: make([]RecordView, 0, len(recs)), Facets: res.Facets}
	for i := range recs {
		resp.Records = append(resp.Records, s.view(&recs[i]))
	}
	return resp, nil
}

// searchScope turns an access scope into the index's filter.
func searchScope(sc archive.Scope) search.Scope {
	out := search.Scope{All: sc.All, RecordIDs: sc.RecordIDs}
	if sc.Agency != "" {
		out.Agencies = []string{sc.Agency}
	}
	if sc.HolderID != "" {
		out.HolderIDs = []string{sc.HolderID}
	}
	return out
}

func parseQuery(r *http.Request) (search.Query, error) {
	v := r.URL.Query()
	q := search.Query{Text: v.Get("q"), DocType: v.Get("type"), HolderID: v.Get("holder"), Issuer: v.Get("issuer"),
		ProcedureCode: v.Get("procedure"), ResultType: v.Get("result_type"), Validity: v.Get("validity"), Sort: v.Get("sort"), Facets: v.Get("facets") != ""}
	var err error
	if q.IssuedFrom, err = queryDate(v.Get("issued_from"), "issued_from"); err != nil {
		return q, err
	}
	if q.IssuedTo, err = queryDate(v.Get("issued_to"), "issued_to"); err != nil {
		return q, err
	}
	for name, dst := range map[string]*int{"limit": &q.Limit, "offset": &q.Offset} {
		if s := v.Get(name); s != "" {
			if *dst, err = strconv.Atoi(s); err != nil || *dst < 0 {
				return q, fmt.Errorf("web: %s=%q is not a count: %w", name, s, archive.ErrInvalid)
			}
		}
	}
	return q, nil
}

func queryDate(s, name string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, fmt.Errorf("web: %s=%q is not a date YYYY-MM-DD: %w", name, s, archive.ErrInvalid)
	}
	return t, nil
}

// ReindexResponse reports a rebuilt search index.
type ReindexResponse struct {
	Records int     `json:"records"`
	Seconds float64 `json:"seconds"`
	Bytes   int64   `json:"bytes"`
}

// reindex rebuilds the search index from the catalog into a new directory
// and swaps it in; searches keep being answered meanwhile.
func (s *Server) reindex(w http.ResponseWriter, r *http.Request) {
	st, err := s.RebuildIndex(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "reindex", "", "ok", fmt.Sprintf("%d records", st.Docs))
	writeJSON(w, http.StatusOK, ReindexResponse{Records: st.Docs, Seconds: st.Elapsed.Seconds(), Bytes: st.Bytes})
}

// RebuildIndex builds the search index again from the catalog's available
// records and swaps it in, as POST /api/v1/reindex does; searches go on
// meanwhile, from the old index when it can answer.
func (s *Server) RebuildIndex(ctx context.Context) (search.BuildStats, error) {
	docs := func(yield func(search.Doc) error) error {
		return s.cfg.Catalog.Records(ctx, func(rec *archive.Record) error {
			if rec.Status != archive.StatusAvailable {
				return nil
			}
			return yield(search.Doc{Record: rec, Agency: s.agencyOf(rec.Agency)})
		})
	}
	return s.cfg.Index.Rebuild(ctx, docs)
}
