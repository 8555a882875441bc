package searchbench

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/archive/archivetest"
)

func TestGeneratorDeterministic(t *testing.T) {
	t.Parallel()
	g := Generator{Seed: 7, N: 1000}
	for _, i := range []int{0, 1, 500, 999} {
		a, b := g.Doc(i), g.Doc(i)
		if a.Record.ID != b.Record.ID || a.Record.Meta != b.Record.Meta || a.Agency != b.Agency {
			t.Errorf("Doc(%d) differs between calls: %+v, %+v", i, a.Record.Meta, b.Record.Meta)
		}
		m := a.Record.Meta
		if m.HolderName == "" || m.HolderID == "" || !strings.Contains(m.Number, "/") || m.IssuedOn.IsZero() {
			t.Errorf("Doc(%d) = %+v: missing fields", i, m)
		}
	}
	if a, b := g.Doc(1), (Generator{Seed: 8, N: 1000}).Doc(1); a.Record.Meta == b.Record.Meta {
		t.Error("seeds 7 and 8 give the same record")
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Nguyễn Văn Đức":     "nguyen van duc",
		"ĐẶNG THỊ THỦY":      "dang thi thuy",
		"1234/2023/GP-BTNMT": "1234/2023/gp-btnmt",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRunSmall runs the whole harness on a few thousand records against the
// real PostgreSQL. It checks what must hold whatever the speed: queries
// that match exactly (numbers in any spelling, holder IDs, filters) find the
// same records in both systems. It asserts nothing on timing.
func TestRunSmall(t *testing.T) {
	t.Parallel()
	var log strings.Builder
	rep, err := Run(context.Background(), Config{N: 3000, Queries: 140, Clients: []int{1, 2},
		Dir: t.TempDir(), PostgresURL: archivetest.PostgresURL(t), Log: &log})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, log.String())
	}
	for _, r := range rep.Recall {
		switch r.Class {
		case ClassNumber, ClassNumSpaced, ClassNumSwapped, ClassHolderID, ClassFilter:
			if r.SameTotal != 1 || r.Overlap != 1 {
				t.Errorf("class %s: same total %.2f, overlap %.2f; want both systems to agree", r.Class, r.SameTotal, r.Overlap)
			}
		}
		if r.SameTotal < 0.9 {
			t.Errorf("class %s: only %.2f of queries match as many records in both systems", r.Class, r.SameTotal)
		}
	}
	if len(rep.Latencies) != 4 || rep.Build.Docs != 3000 {
		t.Errorf("report: %d latency rows, %d docs built; want 4 and 3000", len(rep.Latencies), rep.Build.Docs)
	}
	var out strings.Builder
	rep.Print(&out)
	t.Log("\n" + out.String())
}

// BenchmarkReport is the measurement BENCHMARKS.md quotes. It builds both
// systems on SEARCHBENCH_N records (default 100,000), runs
// SEARCHBENCH_QUERIES queries (default 1,400) at 1 and 8 clients, and
// prints the report. Run it once:
//
//	go test ./search/searchbench -run '^$' -bench Report -benchtime 1x -timeout 2h
func BenchmarkReport(b *testing.B) {
	cfg := Config{N: envInt(b, "SEARCHBENCH_N", 100_000), Queries: envInt(b, "SEARCHBENCH_QUERIES", 1400),
		Dir: b.TempDir(), PostgresURL: archivetest.PostgresURL(b), Log: os.Stderr}
	for b.Loop() {
		rep, err := Run(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		rep.Print(os.Stdout)
		for _, l := range rep.Latencies {
			b.ReportMetric(float64(l.P99.Microseconds())/1000, l.System+"-c"+strconv.Itoa(l.Clients)+"-p99-ms")
		}
	}
}

func envInt(tb testing.TB, name string, def int) int {
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
