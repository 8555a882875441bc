package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/search"
)

// queryRecorder is an index that finds nothing and keeps the last query.
type queryRecorder struct {
	fakeIndex
	mu   sync.Mutex
	last search.Query
}

func (x *queryRecorder) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	x.mu.Lock()
	x.last = q
	x.mu.Unlock()
	return &search.Result{Hits: []search.Hit{}, Facets: &search.Facets{}}, nil
}

func (x *queryRecorder) query() search.Query {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.last
}

// TestSearchByResultType: result_type reaches the index from the API and
// from the search screen, whose form keeps it.
func TestSearchByResultType(t *testing.T) {
	t.Parallel()
	ix := &queryRecorder{}
	b := setup(t, func(c *Config) { c.Index = ix })
	w := b.do(t, "handlerA", jsonRequest(http.MethodGet, "/api/v1/search?result_type=KQ.G15.000031&q=A-2026-000001", ""))
	if q := ix.query(); w.Code != http.StatusOK || q.ResultType != "KQ.G15.000031" || q.Text != "A-2026-000001" {
		t.Fatalf("API search: %d, query %+v; want result type KQ.G15.000031", w.Code, q)
	}
	w = b.page(t, "handlerA", "/search?result_type=KQ.G15.000040")
	if q := ix.query(); w.Code != http.StatusOK || q.ResultType != "KQ.G15.000040" {
		t.Fatalf("search screen: %d, query %+v; want result type KQ.G15.000040", w.Code, q)
	}
	mustContain(t, w, `<label for="result_type">Mã kết quả</label>`, `name="result_type" value="KQ.G15.000040"`)
}

// TestResultCodeShown: the record page, its JSON and the verification page
// of a copy show the result code the catalog gave, and the record page
// the result type code.
func TestResultCodeShown(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := permit("12/GP", "Nguyễn Văn Đức")
	m.ResultTypeCode = "KQ.G15.000031"
	rec := b.record(t, []byte("%PDF-1.7 result"))
	rec.Meta = m
	ctx := context.Background()
	if err := b.cat.Update(ctx, func(tx archive.CatalogTx) error { return tx.UpdateRecord(ctx, rec) }); err != nil {
		t.Fatal(err)
	}
	want := "A-" + time.Now().In(archive.Vietnam).Format("2006") + "-000001"
	if rec.ResultCode != want {
		t.Fatalf("result code %q, want %q", rec.ResultCode, want)
	}
	mustContain(t, b.page(t, "handlerA", "/records/"+rec.ID), `id="result-code">`+want+`</dd>`,
		`<dt>Mã kết quả</dt><dd id="result-type">KQ.G15.000031</dd>`)
	w := b.do(t, "handlerA", jsonRequest(http.MethodGet, "/api/v1/records/"+rec.ID, ""))
	var got RecordView
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got.ResultCode != want || got.Meta.ResultTypeCode != "KQ.G15.000031" {
		t.Fatalf("GET record: %d %v %s", w.Code, err, w.Body)
	}
	cp := &archive.Copy{ID: "c1", RecordID: rec.ID, Form: archive.FormSaoY, For: "UBND phường 5", IssuedBy: "u1",
		IssuedAt: time.Now(), Code: "K7QF-2M9X-PV3D", Result: archive.RefOf([]byte("%PDF-1.7 copy")), Size: 13}
	if err := b.cat.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateCopy(ctx, cp) }); err != nil {
		t.Fatal(err)
	}
	w = b.page(t, "", "/verify/"+cp.Code)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<td id="result-code"><code>`+want+`</code></td>`) {
		t.Fatalf("verification page %d lacks the result code %s:\n%.3000s", w.Code, want, w.Body)
	}
}
