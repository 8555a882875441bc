package web

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// pagedRecord stores a record of two pages whose first page has a
// thumbnail and a preview and whose second has none, as one normalised
// before views were made; it returns the record and the two views' bytes.
func (b *testBundle) pagedRecord(tb testing.TB) (rec *archive.Record, thumb, preview []byte) {
	tb.Helper()
	ctx := context.Background()
	rec = b.record(tb, []byte("%PDF-1.7 result"))
	jpg := func(w, h int) []byte {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
			tb.Fatal(err)
		}
		return buf.Bytes()
	}
	thumb, preview = jpg(141, 200), jpg(707, 1000)
	p1 := archive.Page{N: 1, Name: "1.jpg", Original: archive.RefOf([]byte("1")), Normalised: archive.RefOf([]byte("1"))}
	var err error
	if p1.Thumb, err = archive.PutBytes(ctx, b.blobs, thumb); err != nil {
		tb.Fatal(err)
	}
	if p1.Preview, err = archive.PutBytes(ctx, b.blobs, preview); err != nil {
		tb.Fatal(err)
	}
	p2 := archive.Page{N: 2, Name: "2.jpg", Original: archive.RefOf([]byte("2")), Normalised: archive.RefOf([]byte("2"))}
	rec.Pages = []archive.Page{p1, p2}
	if err := b.cat.Update(ctx, func(tx archive.CatalogTx) error { return tx.UpdateRecord(ctx, rec) }); err != nil {
		tb.Fatal(err)
	}
	return rec, thumb, preview
}

// TestPageViews: a page's thumbnail and preview are served inline as
// JPEG to whoever may see the record, cached for good under their ref; a
// page out of range or a record out of scope answers like a missing
// record; a page without views gets an uncached placeholder and its views
// asked for.
func TestPageViews(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var asked []string
	b := setup(t, func(c *Config) {
		c.MakeViews = func(_ context.Context, id string) error {
			mu.Lock()
			asked = append(asked, id)
			mu.Unlock()
			return nil
		}
	})
	rec, thumb, preview := b.pagedRecord(t)
	get := func(user, path string) *httptest.ResponseRecorder {
		return b.do(t, user, httptest.NewRequest(http.MethodGet, path, nil))
	}
	base := "/api/v1/records/" + rec.ID + "/pages/"
	for _, c := range []struct {
		path string
		want []byte
		ref  archive.Ref
	}{{base + "1/thumb", thumb, rec.Pages[0].Thumb}, {base + "1/preview", preview, rec.Pages[0].Preview}} {
		for _, user := range []string{"admin", "clerkA", "handlerA", "citizen"} {
			w := get(user, c.path)
			h := w.Header()
			if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), c.want) {
				t.Errorf("%s as %s: %d, %d bytes; want 200 with the stored view", c.path, user, w.Code, w.Body.Len())
				continue
			}
			if h.Get("Content-Type") != "image/jpeg" || h.Get("Content-Disposition") != "inline" ||
				h.Get("Cache-Control") != "private, max-age=31536000, immutable" || h.Get("ETag") != `"`+c.ref.String()+`"` {
				t.Errorf("%s headers: %v", c.path, h)
			}
		}
		r := httptest.NewRequest(http.MethodGet, c.path, nil)
		r.Header.Set("If-None-Match", `"`+c.ref.String()+`"`)
		if w := b.do(t, "handlerA", r); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("%s with its ETag: %d, %d bytes; want 304", c.path, w.Code, w.Body.Len())
		}
	}

	missing := get("handlerA", "/api/v1/records/r-nothere/pages/1/thumb")
	if missing.Code != http.StatusNotFound {
		t.Fatalf("missing record: %d", missing.Code)
	}
	for _, c := range []struct{ user, path string }{
		{"handlerB", base + "1/thumb"}, {"handlerB", base + "1/preview"}, // out of scope
		{"handlerA", base + "0/thumb"}, {"handlerA", base + "3/thumb"}, {"handlerA", base + "3/preview"},
		{"handlerA", base + "x/thumb"}, {"handlerA", base + "-1/preview"},
	} {
		if w := get(c.user, c.path); w.Code != http.StatusNotFound || w.Body.String() != missing.Body.String() {
			t.Errorf("%s as %s: %d %s; want as a missing record: %s", c.path, c.user, w.Code, w.Body, missing.Body)
		}
	}
	if w := get("", base+"1/thumb"); w.Code != http.StatusUnauthorized {
		t.Errorf("no token: %d", w.Code)
	}

	w := get("handlerA", base+"2/thumb")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/jpeg" || w.Header().Get("Cache-Control") != "no-cache" ||
		w.Header().Get("ETag") != "" {
		t.Errorf("page without views: %d %v", w.Code, w.Header())
	}
	if _, err := jpeg.Decode(bytes.NewReader(w.Body.Bytes())); err != nil {
		t.Errorf("placeholder: %v", err)
	}
	mu.Lock()
	if len(asked) != 1 || asked[0] != rec.ID {
		t.Errorf("views asked for %v, want [%s]", asked, rec.ID)
	}
	mu.Unlock()
}

// TestDamagedPageView: a thumbnail whose stored bytes changed is not
// served as good: it is a server fault saying the stored file is damaged,
// reported as damaged, and never cached.
func TestDamagedPageView(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rec, thumb, _ := b.pagedRecord(t)
	flipByte(t, b.blobPath(rec.Pages[0].Thumb), len(thumb)/2)
	w := b.do(t, "handlerA", httptest.NewRequest(http.MethodGet, "/api/v1/records/"+rec.ID+"/pages/1/thumb", nil))
	if w.Code != http.StatusInternalServerError || bytes.Contains(w.Body.Bytes(), thumb[:64]) ||
		!bytes.Contains(w.Body.Bytes(), []byte("damaged")) {
		t.Errorf("damaged thumbnail: %d %q; want 500 saying the stored file is damaged", w.Code, w.Body.Bytes()[:min(200, w.Body.Len())])
	}
	if h := w.Header(); h.Get("Cache-Control") == "private, max-age=31536000, immutable" || h.Get("ETag") != "" ||
		h.Get("Content-Type") == "image/jpeg" {
		t.Errorf("damaged thumbnail answered with the view's headers: %v", h)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.damaged) != 1 || b.damaged[0] != rec.Pages[0].Thumb {
		t.Errorf("damaged objects reported: %v", b.damaged)
	}
}
