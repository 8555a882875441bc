package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// TestCrossSite: a browser's state-changing request from another site is
// refused whatever its credentials (a token in HTTP Basic, which browsers
// replay) and its body; a program's and the same site's pass; JSON routes
// read only JSON.
func TestCrossSite(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rec := b.record(t, []byte("%PDF-1.7 test"))
	shares := "/api/v1/records/" + rec.ID + "/shares"
	copiesPath := "/api/v1/records/" + rec.ID + "/copies"
	share := `{"agency":"EVIL","dossier_code":"X","until":"2099-01-01"}`
	cases := []struct {
		name, user, path, ctype string
		header                  map[string]string
		want                    int
	}{
		{"text/plain form from another site", "citizen", shares, "text/plain",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, http.StatusForbidden},
		{"urlencoded form, Origin only", "citizen", shares, "application/x-www-form-urlencoded",
			map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"copy from another site", "handlerA", copiesPath, "text/plain",
			map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"JSON from another site", "citizen", shares, "application/json",
			map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same site, not JSON", "citizen", shares, "text/plain",
			map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusUnsupportedMediaType},
		{"program, no content type", "citizen", shares, "", nil, http.StatusUnsupportedMediaType},
		{"program, JSON", "citizen", shares, "application/json", nil, http.StatusCreated},
		{"same site, JSON", "citizen", shares, "application/json; charset=utf-8",
			map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"}, http.StatusCreated},
	}
	for _, c := range cases {
		body := share
		if c.path == copiesPath {
			body = `{"form":"sao-y","for":"EVIL"}`
		}
		r := httptest.NewRequest(http.MethodPost, c.path, strings.NewReader(body))
		if c.ctype != "" {
			r.Header.Set("Content-Type", c.ctype)
		}
		for k, v := range c.header {
			r.Header.Set(k, v)
		}
		r.SetBasicAuth("x", b.tokens[c.user])
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
		w := httptest.NewRecorder()
		b.srv.ServeHTTP(w, r)
		apiContract(t).CheckRecorder(t, r, w)
		if w.Code != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, w.Code, w.Body, c.want)
		}
	}
	if b.copier.issued != 0 {
		t.Errorf("%d copies issued by refused requests", b.copier.issued)
	}
	shs, _ := b.cat.Shares(context.Background(), "001088012345")
	if len(shs) != 2 {
		t.Errorf("%d shares made, want the 2 allowed ones", len(shs))
	}
}

// TestHeaders: every answer, JSON, HTML or error, carries the security
// headers.
func TestHeaders(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, path := range []string{"/healthz", "/verify/NOPE", "/api/v1/records/x", "/no/such/route"} {
		w := b.do(t, "admin", httptest.NewRequest(http.MethodGet, path, nil))
		h := w.Header()
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
}

// TestNotVisibleIsMissing: a record out of the caller's scope and a record
// that does not exist answer byte for byte alike, after the same work (one
// audit entry each); so do copy codes, which never reveal their record.
func TestNotVisibleIsMissing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rec := b.record(t, []byte("%PDF-1.7 test"))
	cp, err := b.copier.Issue(context.Background(), copiesRequest(rec.ID))
	if err != nil {
		t.Fatal(err)
	}
	pairs := [][2]string{
		{"/api/v1/records/" + rec.ID, "/api/v1/records/r-missing"},
		{"/api/v1/records/" + rec.ID + "/pdf", "/api/v1/records/r-missing/pdf"},
		{"/api/v1/copies/" + cp.Code + "/pdf", "/api/v1/copies/NO-SUCH-CODE/pdf"},
	}
	for _, p := range pairs {
		var bodies [2]string
		for i, path := range p {
			before := b.auditCount(t)
			w := b.do(t, "handlerB", httptest.NewRequest(http.MethodGet, path, nil))
			if w.Code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, w.Code)
			}
			bodies[i] = w.Body.String()
			if n := b.auditCount(t) - before; n != 1 {
				t.Errorf("%s: %d audit entries, want 1 on both paths", path, n)
			}
		}
		if bodies[0] != bodies[1] {
			t.Errorf("out of scope %q and missing %q differ", bodies[0], bodies[1])
		}
		if strings.Contains(bodies[0], rec.ID) || strings.Contains(bodies[0], "web") || strings.Contains(bodies[0], "sqlstore") {
			t.Errorf("404 body names a record or a package: %s", bodies[0])
		}
	}
}

// TestJunkTokens: a flood of wrong tokens from one address is slowed down
// and audited as a handful of entries, not one per request.
func TestJunkTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	before := b.auditCount(t)
	codes := map[int]int{}
	for i := range 1000 {
		r := httptest.NewRequest(http.MethodGet, "/api/v1/search?q=x", nil)
		r.Header.Set("Authorization", "Bearer junk-"+string(rune('a'+i%26)))
		codes[b.do(t, "", r).Code]++
	}
	if n := b.auditCount(t) - before; n > 3 {
		t.Errorf("1000 junk-token requests wrote %d audit entries, want at most 3", n)
	}
	if codes[http.StatusTooManyRequests] < 900 || codes[http.StatusUnauthorized] == 0 {
		t.Errorf("answers %v: want the first refused 401 and the flood 429", codes)
	}
	// A good token still works, from that address (an office behind one
	// NAT address) as from any other.
	for _, addr := range []string{"192.0.2.1:1234", "192.0.2.99:1234"} {
		r := httptest.NewRequest(http.MethodGet, "/api/v1/search?q=x", nil)
		r.RemoteAddr = addr
		if w := b.do(t, "handlerA", r); w.Code != http.StatusOK {
			t.Errorf("a good token from %s after the flood: %d %s", addr, w.Code, w.Body)
		}
	}
}

// TestForwardedFor: X-Forwarded-For names the client only when the peer is
// a trusted proxy.
func TestForwardedFor(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) { c.TrustedProxies = mustPrefixes(t, "10.0.0.0/8") })
	for _, c := range []struct{ peer, xff, want string }{
		{"10.1.2.3:5000", "203.0.113.7", "203.0.113.7"},
		{"10.1.2.3:5000", "198.51.100.1, 203.0.113.7, 10.9.9.9", "203.0.113.7"},
		{"198.51.100.50:5000", "203.0.113.7", "198.51.100.50"},
		{"10.1.2.3:5000", "not-an-address", "10.1.2.3"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.peer
		r.Header.Set("X-Forwarded-For", c.xff)
		if got := b.srv.clientAddr(r); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: client %s, want %s", c.peer, c.xff, got, c.want)
		}
	}
}

// TestCopyRate: one user cannot issue copies without end.
func TestCopyRate(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) { c.CopyRate = Rate{PerMinute: 6, Burst: 5} })
	rec := b.record(t, []byte("%PDF-1.7 test"))
	codes := map[int]int{}
	for range 20 {
		codes[b.do(t, "handlerA", jsonRequest(http.MethodPost, "/api/v1/records/"+rec.ID+"/copies", `{"form":"sao-y","for":"x"}`)).Code]++
	}
	if codes[http.StatusCreated] != 5 || codes[http.StatusTooManyRequests] != 15 {
		t.Errorf("20 copies at once: %v, want 5 issued and 15 refused", codes)
	}
	if w := b.do(t, "admin", jsonRequest(http.MethodPost, "/api/v1/records/"+rec.ID+"/copies", `{"form":"sao-y","for":"x"}`)); w.Code != http.StatusCreated {
		t.Errorf("another user's copy: %d", w.Code)
	}
}

// TestDamagedBlob: a stored result with one byte changed is never served
// as complete; a deleted one is a server fault that says the stored file
// is damaged, not a 404; with a replica, its good copy is served.
func TestDamagedBlob(t *testing.T) {
	t.Parallel()
	pdf := bytes.Repeat([]byte("%PDF-1.7 a signed result "), 20000) // 500 kB: several chunks
	b := setup(t)
	rec := b.record(t, pdf)
	get := func(b *testBundle) *http.Response {
		ts := httptest.NewServer(b.srv)
		defer ts.Close()
		r, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/records/"+rec.ID+"/pdf", nil)
		r.Header.Set("Authorization", "Bearer "+b.tokens["handlerA"])
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := get(b)
	body := apiContract(t).CheckResponse(t, resp)
	if !bytes.Equal(body, pdf) || resp.Header.Get("Digest") != "sha-256="+rec.Result.Hex() {
		t.Fatalf("good blob: %d bytes, Digest %q", len(body), resp.Header.Get("Digest"))
	}

	path := b.blobPath(rec.Result)
	flipByte(t, path, len(pdf)-10)
	resp = get(b)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil || bytes.Equal(body[max(0, len(body)-20):], pdf[len(pdf)-20:]) {
		t.Errorf("damaged blob: read ended %v after %d of %d bytes; want an error before the end", err, len(body), len(pdf))
	}
	if len(b.damaged) != 1 {
		t.Errorf("damaged objects reported: %v", b.damaged)
	}

	os.Remove(path)
	resp = get(b)
	body = apiContract(t).CheckResponse(t, resp)
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), "damaged") {
		t.Errorf("deleted blob: %d %s, want 500 saying the stored file is damaged", resp.StatusCode, body)
	}

	// With a replica holding the good bytes, they are served.
	m := setupMirror(t)
	rec2 := m.record(t, pdf)
	rec = rec2
	flipByte(t, m.primaryPath(rec2.Result), 100)
	resp = get(m)
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !bytes.Equal(body, pdf) {
		t.Errorf("primary damaged, replica good: %v, %d bytes, equal %v", err, len(body), bytes.Equal(body, pdf))
	}
}

func flipByte(t *testing.T, path string, at int) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[at] ^= 0x20
	os.Chmod(path, 0o600)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

var _ = url.PathEscape
var _ = archive.ErrNotFound
