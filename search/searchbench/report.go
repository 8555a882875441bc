package searchbench

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/khoso-vn/khoso/search"
)

// Report is what Run measured.
type Report struct {
	N          int
	Cores      int
	Build      search.BuildStats
	BuildRSS   int64 // peak RSS while generating and building the index
	PGLoad     time.Duration
	PGBytes    int64
	SearchRSS  int64 // peak RSS from opening the index to the end of khoso's runs
	Latencies  []Latency
	Classes    []ClassLatency // per class, one client
	Recall     []Recall
	TypoFound  float64 // share of typo queries with the misspelt name in the top 10
	TypoQuery  int
	Commit     string
	RunElapsed time.Duration
}

// ClassLatency is one query class's latency at one client.
type ClassLatency struct {
	Class                string
	KhosoP50, KhosoP99   time.Duration
	PGP50, PGP99         time.Duration
	KhosoOnly, Available bool
}

// Recall compares the two systems' answers to one class of queries.
type Recall struct {
	Class     string
	Queries   int
	SameTotal float64 // share with the same number of matches
	SameTop   float64 // share with the same first hit (or none in both)
	Overlap   float64 // mean |top10 ∩ top10| / max size
	SmallSame float64 // among queries with ≤10 matches in PostgreSQL: share with the same hits
	Small     int
}

// Run builds both systems on cfg.N generated records, measures them, and
// returns the report. Progress goes to cfg.Log.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	g := Generator{Seed: cfg.Seed, N: cfg.N}
	rep := &Report{N: cfg.N, Cores: runtime.NumCPU()}
	fmt.Fprintf(cfg.Log, "searchbench: building the index of %d records\n", cfg.N)
	if rep.Build, err = buildIndex(ctx, indexDir(cfg.Dir), g); err != nil {
		return nil, err
	}
	rep.BuildRSS = peakRSS()
	pg, err := openPG(ctx, cfg.PostgresURL, slices.Max(cfg.Clients))
	if err != nil {
		return nil, err
	}
	defer pg.close()
	fmt.Fprintf(cfg.Log, "searchbench: index built in %s; loading PostgreSQL\n", rep.Build.Elapsed.Round(time.Millisecond))
	t := time.Now()
	if err := pg.load(ctx, g); err != nil {
		return nil, err
	}
	rep.PGLoad = time.Since(t)
	if rep.PGBytes, err = pg.size(ctx); err != nil {
		return nil, fmt.Errorf("searchbench: postgres size: %w", err)
	}
	fmt.Fprintf(cfg.Log, "searchbench: PostgreSQL loaded in %s; searching\n", rep.PGLoad.Round(time.Millisecond))
	common, typos := Mix(g, cfg.Queries)
	if err := rep.measureAll(ctx, cfg, pg, common, typos); err != nil {
		return nil, err
	}
	rep.RunElapsed = time.Since(start)
	return rep, nil
}

// measureAll runs the mix against both systems at every concurrency level.
func (rep *Report) measureAll(ctx context.Context, cfg Config, pg *pgStore, common, typos []Case) error {
	ix, err := search.Open(search.Config{Dir: indexDir(cfg.Dir)})
	if err != nil {
		return err
	}
	defer ix.Close()
	resetPeakRSS()
	kh, err := rep.measureSystem(ctx, cfg, "khoso", common, khosoSearch(ix))
	if err != nil {
		return err
	}
	lat, tp, err := measure(ctx, "khoso", typos, 1, khosoSearch(ix))
	if err != nil {
		return err
	}
	rep.TypoQuery, rep.TypoFound = len(typos), typoRecall(Generator{Seed: cfg.Seed, N: cfg.N}, typos, tp.answers)
	rep.SearchRSS = peakRSS()
	pga, err := rep.measureSystem(ctx, cfg, "postgres", common, pgSearch(pg))
	if err != nil {
		return err
	}
	rep.Classes = classLatencies(common, kh.lat, pga.lat)
	rep.Classes = append(rep.Classes, ClassLatency{Class: ClassTypo, KhosoP50: lat.P50, KhosoP99: lat.P99, KhosoOnly: true})
	rep.Recall = recalls(common, kh.answers, pga.answers)
	return nil
}

// measureSystem warms do up on the mix, then measures it at every level.
// It returns the pass at the first level.
func (rep *Report) measureSystem(ctx context.Context, cfg Config, system string, cases []Case, do searchFunc) (pass, error) {
	if _, _, err := measure(ctx, system, cases, slices.Max(cfg.Clients), do); err != nil {
		return pass{}, err
	}
	var first pass
	for i, c := range cfg.Clients {
		fmt.Fprintf(cfg.Log, "searchbench: %s, %d clients\n", system, c)
		l, p, err := measure(ctx, system, cases, c, do)
		if err != nil {
			return pass{}, err
		}
		rep.Latencies = append(rep.Latencies, l)
		if i == 0 {
			first = p
		}
	}
	return first, nil
}

// classLatencies returns p50 and p99 by class from single-client passes.
func classLatencies(cases []Case, kh, pg []time.Duration) []ClassLatency {
	var out []ClassLatency
	for _, c := range classes {
		var k, p []time.Duration
		for i := range cases {
			if cases[i].Class == c {
				k, p = append(k, kh[i]), append(p, pg[i])
			}
		}
		slices.Sort(k)
		slices.Sort(p)
		out = append(out, ClassLatency{Class: c, KhosoP50: quantile(k, .5), KhosoP99: quantile(k, .99),
			PGP50: quantile(p, .5), PGP99: quantile(p, .99), Available: true})
	}
	return out
}
