// Package scanbench compares khoso's page normalisation and PDF assembly
// with the usual tools (ImageMagick's convert -deskew 40% and img2pdf) on
// a generated corpus of skewed A4 scans. Its test TestBenchIngest runs
// only with KHOSO_BENCH=1 and prints the results table; see
// ingest/scan/BENCHMARKS.md.
package scanbench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// Half is one half of the corpus: pages of one kind.
type Half struct {
	Name  string
	DPI   int
	Gray  bool
	Pages []string // JPEG files, in document order
}

// corpusVersion names the cache directory; change it when the pages change.
const corpusVersion = "v1"

// Corpus returns the two halves of n pages each (200-dpi colour and
// 300-dpi gray JPEGs of A4 pages with text-like lines and a red seal,
// skewed by ±0.5–3°), generating them into dir once.
func Corpus(tb testing.TB, dir string, n int, skew bool) []Half {
	tb.Helper()
	kind := "skewed"
	if !skew {
		kind = "straight"
	}
	halves := []Half{{Name: "200-dpi colour", DPI: 200}, {Name: "300-dpi gray", DPI: 300, Gray: true}}
	for h := range halves {
		sub := filepath.Join(dir, fmt.Sprintf("%s-%s-%d-%d", corpusVersion, kind, halves[h].DPI, n))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		halves[h].Pages = make([]string, n)
		for i := range n {
			halves[h].Pages[i] = filepath.Join(sub, fmt.Sprintf("p%04d.jpg", i))
		}
		generate(tb, halves[h], skew)
	}
	return halves
}

// generate writes the half's missing pages, two at a time.
func generate(tb testing.TB, h Half, skew bool) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, path := range h.Pages {
		if _, err := os.Stat(path); err == nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := os.WriteFile(path, page(tb, h, i, skew), 0o644); err != nil {
				tb.Error(err)
			}
		}()
	}
	wg.Wait()
}

// page draws page i of a half, turned by a random angle of 0.5–3° either
// way when skew is set.
func page(tb testing.TB, h Half, i int, skew bool) []byte {
	rng := rand.New(rand.NewPCG(uint64(h.DPI), uint64(i)))
	img := scantest.A4PageAt(h.DPI, uint64(i))
	if skew {
		deg := 0.5 + 2.5*rng.Float64()
		if rng.IntN(2) == 0 {
			deg = -deg
		}
		img = scantest.Rotate(img, deg)
	}
	var data []byte
	if h.Gray {
		data = scantest.JPEG(tb, scantest.Gray(img), 85)
	} else {
		data = scantest.JPEG(tb, img, 85)
	}
	return scantest.WithJFIF(data, scantest.UnitsDPI, uint16(h.DPI), uint16(h.DPI))
}
