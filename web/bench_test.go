package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkNotVisible compares answering a record out of the caller's
// scope with answering a missing one: the two paths do the same work, so
// their times should be within a few per cent (go test -bench NotVisible
// ./web).
func BenchmarkNotVisible(b *testing.B) {
	bd := setup(b)
	rec := bd.record(b, []byte("%PDF-1.7 test"))
	for _, c := range []struct{ name, path string }{
		{"OutOfScope", "/api/v1/records/" + rec.ID},
		{"Missing", "/api/v1/records/r-missing"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, c.path, nil)
				if w := bd.do(b, "handlerB", r); w.Code != http.StatusNotFound {
					b.Fatalf("%d", w.Code)
				}
			}
		})
	}
}
