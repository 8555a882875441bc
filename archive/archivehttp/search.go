package archivehttp

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/search"
)

// SearchResponse is a page of matching records.
type SearchResponse struct {
	Total   uint64           `json:"total"`
	Records []archive.Record `json:"records"`
}

// search answers GET /api/v1/search?q=&type=&holder=&issued_from=&issued_to=&limit=&offset=.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.cfg.Index.Search(r.Context(), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := SearchResponse{Total: res.Total, Records: make([]archive.Record, 0, len(res.Hits))}
	for _, h := range res.Hits {
		rec, err := s.cfg.Catalog.Record(r.Context(), h.ID)
		if err != nil {
			s.writeError(w, r, fmt.Errorf("archivehttp: search hit %s: %w", h.ID, err))
			return
		}
		resp.Records = append(resp.Records, *rec)
	}
	writeJSON(w, http.StatusOK, resp)
}

func parseQuery(r *http.Request) (search.Query, error) {
	v := r.URL.Query()
	q := search.Query{Text: v.Get("q"), DocType: v.Get("type"), HolderID: v.Get("holder")}
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
				return q, fmt.Errorf("archivehttp: %s=%q is not a count: %w", name, s, archive.ErrInvalid)
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
		return t, fmt.Errorf("archivehttp: %s=%q is not a date YYYY-MM-DD: %w", name, s, archive.ErrInvalid)
	}
	return t, nil
}
