package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// zeros is an endless body of n zero bytes, made as it is read.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.n)
	clear(p[:k])
	z.n -= k
	return int(k), nil
}

// TestVerifyBodies: 20 anonymous 400 MB bodies at once are refused, read
// no further than the limit, spooled to disk rather than held in memory;
// a body declared too large is refused before it is read.
func TestVerifyBodies(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) { c.PublicRate = Rate{PerMinute: 600, Burst: 100} })
	ts := httptest.NewServer(b.srv)
	defer ts.Close()

	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
		}
	}()
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/verify", io.NopCloser(&zeros{n: 400 << 20}))
			r.Header.Set("Content-Type", "application/pdf")
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				codes[i] = -1 // the server stopped reading and closed: refused
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	close(stop)
	for i, c := range codes {
		if c != http.StatusRequestEntityTooLarge && c != -1 {
			t.Errorf("body %d: %d, want 413", i, c)
		}
	}
	t.Logf("peak heap in use with 20 bodies of 400 MB: %d MiB", peak.Load()>>20)
	if peak.Load() > 200<<20 {
		t.Errorf("peak heap %d MiB: bodies are held in memory", peak.Load()>>20)
	}

	r, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/verify", strings.NewReader("x"))
	r.ContentLength = 400 << 20
	start := time.Now()
	resp, err := http.DefaultClient.Do(r)
	if err == nil {
		apiContract(t).CheckResponse(t, resp)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("declared 400 MB: %d, want 413", resp.StatusCode)
		}
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("declared 400 MB took %v to refuse", d)
	}
}

// TestVerifyPageUploadLimit: the public upload form has the same limit.
func TestVerifyPageUploadLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) { c.MaxVerifyBytes = 1 << 20 })
	rec := b.record(t, []byte("%PDF-1.7 test"))
	cp, err := b.copier.Issue(t.Context(), copiesRequest(rec.ID))
	if err != nil {
		t.Fatal(err)
	}
	body := "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n" +
		strings.Repeat("A", 2<<20) + "\r\n--XX--\r\n"
	r := httptest.NewRequest(http.MethodPost, "/verify/"+cp.Code, strings.NewReader(body))
	r.Header.Set("Content-Type", "multipart/form-data; boundary=XX")
	w := b.do(t, "", r)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "quá lớn") {
		t.Errorf("2 MiB upload over a 1 MiB limit: %d %.300s", w.Code, w.Body)
	}
}
