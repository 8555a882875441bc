package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/search"
	"github.com/khoso-vn/khoso/search/searchbench"
)

// benchAgency is the agency of the signed-in handler the search benchmark
// searches as: one of the fifteen the generated records belong to.
const benchAgency = "BTNMT"

// BenchmarkSearchPage measures the search screen (GET /search?q=…, HTML)
// against the JSON search (GET /api/v1/search, the same query, page size
// and facets) through the real Server over a real SQLite catalog and a
// real bleve index holding KHOSO_BENCH_RECORDS generated records (default
// 100,000; search/searchbench makes them), as a handler of agency BTNMT
// signed in with a session cookie. The query mix is searchbench's, drawn
// from the handler's own agency's records. Each iteration runs the mix
// once with 8 concurrent clients, after one pass to warm up, and reports
// the server time per request (ServeHTTP, no network) at p50 and p99
// (p50-ms, p99-ms); then once with one client (c1-p50-ms, c1-p99-ms), the
// time a request takes without waiting for a core.
// Run it once (make bench-search-page):
//
//	go test ./web -run '^$' -bench SearchPage -benchtime 1x -timeout 30m
func BenchmarkSearchPage(b *testing.B) {
	n := benchEnvInt(b, "KHOSO_BENCH_RECORDS", 100_000)
	bd, cases := setupSearchBench(b, n)
	cookie := bd.signIn(b, "handler-btnmt", "mật khẩu đo tìm kiếm")
	b.Logf("%d records, %d queries of the handler's agency, 8 clients", n, len(cases))
	for _, c := range []struct {
		name string
		path func(search.Query) string
	}{{"Page", searchPagePath}, {"API", searchAPIPath}} {
		b.Run(c.name, func(b *testing.B) {
			paths := make([]string, len(cases))
			for i, q := range cases {
				paths[i] = c.path(q)
			}
			serveAll(b, bd.srv, cookie, paths, 8) // warm-up
			var lat, alone []time.Duration
			for b.Loop() {
				lat = serveAll(b, bd.srv, cookie, paths, 8)
				alone = serveAll(b, bd.srv, cookie, paths, 1)
			}
			slices.Sort(lat)
			slices.Sort(alone)
			b.ReportMetric(ms(quantileOf(lat, 0.50)), "p50-ms")
			b.ReportMetric(ms(quantileOf(lat, 0.99)), "p99-ms")
			// One client at a time: the time a request takes without waiting
			// for a core.
			b.ReportMetric(ms(quantileOf(alone, 0.50)), "c1-p50-ms")
			b.ReportMetric(ms(quantileOf(alone, 0.99)), "c1-p99-ms")
			b.ReportMetric(0, "ns/op") // one op is the whole mix, twice: not a useful figure
		})
	}
}

// setupSearchBench stores n generated records in a fresh bundle's catalog
// (a thousand to a transaction) and builds the index from the same
// records; it returns the bundle, with a handler of benchAgency who has a
// password, and the queries.
func setupSearchBench(b *testing.B, n int) (*testBundle, []search.Query) {
	b.Helper()
	ctx := context.Background()
	handle, err := search.OpenHandle(search.HandleConfig{Dir: filepath.Join(b.TempDir(), "index")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { handle.Close() })
	bd := setup(b, func(c *Config) { c.Index = handle })
	bd.addUser(b, archive.User{Name: "handler-btnmt", Role: archive.RoleHandler, Agency: benchAgency})
	bd.setLogin(b, "handler-btnmt", "handler-btnmt", "mật khẩu đo tìm kiếm")

	g := searchbench.Generator{Seed: 1, N: n}
	start := time.Now()
	now := time.Now()
	const perTx = 1000
	for first := 0; first < n; first += perTx {
		err := bd.cat.Update(ctx, func(tx archive.CatalogTx) error {
			for i := first; i < min(first+perTx, n); i++ {
				d := g.Doc(i)
				rec := benchRecord(d, now)
				if i%500 == 0 {
					if err := tx.CreateBatch(ctx, &archive.Batch{ID: rec.BatchID, Agency: rec.Agency, CreatedAt: now}); err != nil {
						return err
					}
				}
				if err := tx.CreateRecord(ctx, rec); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("catalog: %d records in %v", n, time.Since(start).Round(time.Millisecond))
	st, err := handle.Rebuild(ctx, func(yield func(search.Doc) error) error {
		for i := range n {
			d := g.Doc(i)
			d.Record = benchRecord(d, now)
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("index: %d records in %v", st.Docs, st.Elapsed.Round(time.Millisecond))

	common, _ := searchbench.Mix(g, 15*1400)
	var qs []search.Query
	for _, c := range common {
		var i int
		if _, err := fmt.Sscanf(c.From, "rec-%d", &i); err == nil && g.Doc(i).Agency == benchAgency {
			qs = append(qs, c.Query)
		}
	}
	return bd, qs
}

// benchRecord is d's record as the catalog keeps it: available, in d's
// agency, with two pages.
func benchRecord(d search.Doc, now time.Time) *archive.Record {
	rec := *d.Record
	rec.Agency, rec.Row, rec.CreatedAt, rec.UpdatedAt = d.Agency, 2, now, now
	rec.Result, rec.Size = archive.RefOf([]byte(rec.ID)), 1000
	rec.Pages = []archive.Page{{N: 1, Name: "1.jpg"}, {N: 2, Name: "2.jpg"}}
	return &rec
}

// searchPagePath is q as the search screen's form sends it: the holder ID,
// like any text, typed in the box.
func searchPagePath(q search.Query) string {
	v := url.Values{}
	set(v, "q", strings.TrimSpace(q.Text+" "+q.HolderID))
	set(v, "type", q.DocType)
	set(v, "from", dateOnly(q.IssuedFrom))
	set(v, "to", dateOnly(q.IssuedTo))
	return "/search?" + v.Encode()
}

// searchAPIPath is the same search through the API, with the screen's page
// size, facets and order.
func searchAPIPath(q search.Query) string {
	v := url.Values{"limit": {strconv.Itoa(searchPageSize)}, "facets": {"1"}}
	text := strings.TrimSpace(q.Text + " " + q.HolderID)
	set(v, "q", text)
	set(v, "type", q.DocType)
	set(v, "issued_from", dateOnly(q.IssuedFrom))
	set(v, "issued_to", dateOnly(q.IssuedTo))
	if text == "" {
		v.Set("sort", search.SortIssuedDesc)
	}
	return "/api/v1/search?" + v.Encode()
}

func set(v url.Values, k, s string) {
	if s != "" {
		v.Set(k, s)
	}
}

func dateOnly(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// serveAll serves every path once, clients at a time, with the session
// cookie and returns each request's time in ServeHTTP.
func serveAll(b *testing.B, srv *Server, cookie *http.Cookie, paths []string, clients int) []time.Duration {
	lat := make([]time.Duration, len(paths))
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				k := int(next.Add(1)) - 1
				if k >= len(paths) {
					return
				}
				r := httptest.NewRequest(http.MethodGet, paths[k], nil)
				r.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
				w := httptest.NewRecorder()
				t := time.Now()
				srv.ServeHTTP(w, r)
				lat[k] = time.Since(t)
				if w.Code != http.StatusOK {
					failed.CompareAndSwap(nil, fmt.Sprintf("%s: %d %.300s", paths[k], w.Code, w.Body))
				}
			}
		})
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		b.Fatal(f)
	}
	return lat
}

// quantileOf returns the q quantile of sorted, nearest rank.
func quantileOf(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func benchEnvInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
	if err != nil || n <= 0 {
		tb.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}
