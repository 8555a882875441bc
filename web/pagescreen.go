package web

import (
	"net/http"
	"strconv"
)

// pageScreenView is the page screen: one page's preview, with links to the
// pages on either side and back to the record.
type pageScreenView struct {
	Rec        RecordView
	N, Count   int
	Prev, Next int // page numbers; 0 when there is none
}

// pageScreen shows GET /records/{id}/pages/{n}: page n of a record the
// caller may see, as its preview image. A page out of range is answered
// like a missing record.
func (s *Server) pageScreen(w http.ResponseWriter, r *http.Request) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(rec.Pages) {
		s.writeError(w, r, errNotVisible)
		return
	}
	v := pageScreenView{Rec: s.view(rec), N: n, Count: len(rec.Pages)}
	if n > 1 {
		v.Prev = n - 1
	}
	if n < v.Count {
		v.Next = n + 1
	}
	s.render(w, r, http.StatusOK, "page.html", "page.title", v)
}
