package searchbench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/khoso-vn/khoso/search"
)

// Config configures Run.
type Config struct {
	// N is the number of records. Default 100,000.
	N int
	// Seed picks the data set. Default 1.
	Seed uint64
	// Queries is the size of the query mix each run goes through. Default
	// 1,400 (200 of each class).
	Queries int
	// Clients are the concurrency levels measured. Default 1 and 8.
	Clients []int
	// Dir is where the index is built. Required.
	Dir string
	// PostgresURL names an empty database to load. Required.
	PostgresURL string
	// Log receives progress lines. Default io.Discard.
	Log io.Writer
}

func (c Config) withDefaults() (Config, error) {
	if c.Dir == "" || c.PostgresURL == "" {
		return c, fmt.Errorf("searchbench: config: Dir and PostgresURL are required")
	}
	if c.N <= 0 {
		c.N = 100_000
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Queries <= 0 {
		c.Queries = 1400
	}
	if len(c.Clients) == 0 {
		c.Clients = []int{1, 8}
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return c, nil
}

// answer is one query's top hits and total.
type answer struct {
	ids   []string
	typo  []bool
	total uint64
}

// searchFunc answers one query.
type searchFunc func(context.Context, search.Query) (answer, error)

// Latency is the measure of one system at one concurrency level.
type Latency struct {
	System  string
	Clients int
	Queries int
	P50     time.Duration
	P99     time.Duration
	QPS     float64
}

// pass is one run of the mix: per case, its latency and answer.
type pass struct {
	lat     []time.Duration
	answers []answer
}

// measure runs every case through do with clients concurrent clients and
// returns the summary and the pass.
func measure(ctx context.Context, system string, cases []Case, clients int, do searchFunc) (Latency, pass, error) {
	lat := make([]time.Duration, len(cases))
	answers := make([]answer, len(cases))
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for {
				k := int(next.Add(1)) - 1
				if k >= len(cases) {
					return
				}
				t := time.Now()
				a, err := do(ctx, cases[k].Query)
				lat[k] = time.Since(t)
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				answers[k] = a
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	if firstErr != nil {
		return Latency{}, pass{}, firstErr
	}
	sorted := slices.Sorted(slices.Values(lat))
	return Latency{System: system, Clients: clients, Queries: len(cases),
		P50: quantile(sorted, 0.50), P99: quantile(sorted, 0.99),
		QPS: float64(len(cases)) / wall.Seconds()}, pass{lat: lat, answers: answers}, nil
}

// quantile of sorted durations, nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// khosoSearch answers queries from ix.
func khosoSearch(ix *search.Index) searchFunc {
	return func(ctx context.Context, q search.Query) (answer, error) {
		res, err := ix.Search(ctx, q)
		if err != nil {
			return answer{}, err
		}
		a := answer{total: res.Total}
		for _, h := range res.Hits {
			a.ids = append(a.ids, h.ID)
			a.typo = append(a.typo, h.Typo)
		}
		return a, nil
	}
}

func pgSearch(p *pgStore) searchFunc {
	return func(ctx context.Context, q search.Query) (answer, error) {
		ids, total, err := p.search(ctx, q)
		return answer{ids: ids, total: total}, err
	}
}

// buildIndex builds the index of g's records in dir.
func buildIndex(ctx context.Context, dir string, g Generator) (search.BuildStats, error) {
	return search.Build(ctx, search.BuildConfig{Dir: dir}, func(yield func(search.Doc) error) error {
		for i := range g.N {
			if err := yield(g.Doc(i)); err != nil {
				return err
			}
		}
		return nil
	})
}

// peakRSS returns the process's peak resident set (VmHWM), in bytes.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	var kb int64
	for _, line := range splitLines(string(b)) {
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
			return kb << 10
		}
	}
	return 0
}

// resetPeakRSS frees what the garbage collector can and restarts VmHWM
// from the current resident set, so the next peakRSS covers what follows.
func resetPeakRSS() {
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		out = append(out, s[:i])
		s = s[min(i+1, len(s)):]
	}
	return out
}

func indexDir(dir string) string { return filepath.Join(dir, "index") }
