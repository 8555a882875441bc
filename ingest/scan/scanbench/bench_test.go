package scanbench

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/ingest/scan"
)

const installHint = "install them with: apt-get install -y imagemagick img2pdf"

// TestBenchIngest generates the corpus and runs khoso and ImageMagick +
// img2pdf on the same pages, printing the table of BENCHMARKS.md. It runs
// only with KHOSO_BENCH=1:
//
//	KHOSO_BENCH=1 go test ./ingest/scan/scanbench -run TestBenchIngest -v -timeout 60m
//
// KHOSO_BENCH_PAGES sets the pages per half (default 100).
func TestBenchIngest(t *testing.T) {
	if os.Getenv("KHOSO_BENCH") != "1" {
		t.Skip("set KHOSO_BENCH=1 to run the ingest benchmark")
	}
	for _, tool := range []string{magick, "img2pdf"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: %s", tool, installHint)
		}
	}
	n := 100
	if v, err := strconv.Atoi(os.Getenv("KHOSO_BENCH_PAGES")); err == nil && v > 0 {
		n = v
	}
	// The corpus is drawn in a child process: a child's peak RSS counts its
	// parent's at the time it started, so the parent must stay small.
	cache := filepath.Join(os.TempDir(), "khoso-scanbench")
	child(t, "KHOSO_BENCH_GEN="+cache, "KHOSO_BENCH_PAGES="+strconv.Itoa(n))
	halves := Corpus(t, cache, n, true)
	straight := Corpus(t, cache, 10, false)
	var b strings.Builder
	fmt.Fprintf(&b, "\nkhoso (scan codec %q, GOMAXPROCS %d) vs ImageMagick -deskew 40%% + img2pdf, 2 workers each, %d pages a document\n\n",
		scan.CodecName, runtime.GOMAXPROCS(0), PagesPerDoc)
	fmt.Fprintf(&b, "load average at start: %s\n\n", loadAvg())
	b.WriteString("| pages | pipeline | pages/s | ratio | CPU s/page | CPU ratio | peak RSS MB | in KB/page | out KB/page |\n" +
		"|---|---|---|---|---|---|---|---|---|\n")
	var total [2]Result
	for _, h := range halves {
		k := runChild(t, Docs(h.Pages))
		m, err := RunMagick(Docs(h.Pages), t.TempDir(), 2)
		if err != nil {
			t.Fatalf("ImageMagick pipeline: %v", err)
		}
		m.Pages, m.InBytes = len(h.Pages), k.InBytes
		row(&b, h.Name+" skewed", "khoso", k, k.PagesPerSec()/m.PagesPerSec(), m.CPU.Seconds()/k.CPU.Seconds())
		row(&b, h.Name+" skewed", "convert+img2pdf", m, 1, 1)
		total[0], total[1] = total[0].add(k), total[1].add(m)
	}
	row(&b, "whole corpus", "khoso", total[0], total[0].PagesPerSec()/total[1].PagesPerSec(), total[1].CPU.Seconds()/total[0].CPU.Seconds())
	row(&b, "whole corpus", "convert+img2pdf", total[1], 1, 1)
	var all []string
	for range 5 {
		all = append(all, halves[0].Pages...)
		all = append(all, halves[1].Pages...)
	}
	row(&b, fmt.Sprintf("batch of %d", len(all)), "khoso", runChild(t, Docs(all)), 0, 0)
	row(&b, "straight JPEG (both)", "khoso", runChild(t, Docs(append(straight[0].Pages, straight[1].Pages...))), 0, 0)
	fmt.Fprintf(&b, "\nload average at end: %s\n", loadAvg())
	t.Log(b.String())
}

// row prints one result; ratios of 0 print as a dash.
func row(b *strings.Builder, pages, name string, r Result, ratio, cpuRatio float64) {
	x := func(v float64) string {
		if v == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f×", v)
	}
	fmt.Fprintf(b, "| %s | %s | %.2f | %s | %.3f | %s | %.0f | %.0f | %.0f |\n", pages, name, r.PagesPerSec(), x(ratio),
		r.CPU.Seconds()/float64(r.Pages), x(cpuRatio), float64(r.PeakRSS)/1e6, float64(r.InBytes)/1024/float64(r.Pages),
		float64(r.OutBytes)/1024/float64(r.Pages))
}

// loadAvg is the machine's load average, to judge how much the figures
// shared the CPUs with other work.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// runChild runs Ingest in a child process (this test binary) so that its
// CPU time and peak RSS are measured like ImageMagick's.
func runChild(t *testing.T, docs [][]string) Result {
	t.Helper()
	dir := t.TempDir()
	list := filepath.Join(dir, "docs.json")
	data, _ := json.Marshal(docs)
	if err := os.WriteFile(list, data, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ps := child(t, "KHOSO_BENCH_CHILD="+list, "KHOSO_BENCH_OUT="+dir)
	r := Result{Wall: time.Since(start)}
	r.usage(ps)
	for _, d := range docs {
		r.Pages += len(d)
		for _, p := range d {
			if st, err := os.Stat(p); err == nil {
				r.InBytes += st.Size()
			}
		}
	}
	r.OutBytes = sizeOf(filepath.Join(dir, "doc*.pdf"))
	return r
}

// child runs TestBenchChild in a child process with env added.
func child(t *testing.T, env ...string) *os.ProcessState {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchChild$")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	return cmd.ProcessState
}

// TestBenchChild is the child process of TestBenchIngest: it draws the
// corpus, or ingests a list of documents.
func TestBenchChild(t *testing.T) {
	if cache := os.Getenv("KHOSO_BENCH_GEN"); cache != "" {
		n, _ := strconv.Atoi(os.Getenv("KHOSO_BENCH_PAGES"))
		Corpus(t, cache, n, true)
		Corpus(t, cache, 10, false)
		return
	}
	list := os.Getenv("KHOSO_BENCH_CHILD")
	if list == "" {
		t.Skip("child process of TestBenchIngest only")
	}
	data, err := os.ReadFile(list)
	if err != nil {
		t.Fatal(err)
	}
	var docs [][]string
	if err := json.Unmarshal(data, &docs); err != nil {
		t.Fatal(err)
	}
	if _, err := Ingest(docs, os.Getenv("KHOSO_BENCH_OUT"), 2); err != nil {
		t.Fatal(err)
	}
}
