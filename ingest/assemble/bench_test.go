package assemble_test

import (
	"io"
	"testing"

	"github.com/khoso-vn/khoso/ingest/assemble"
	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

func benchmarkWrite(b *testing.B, page assemble.Page) {
	pages := make([]assemble.Page, 10)
	for i := range pages {
		pages[i] = page
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := assemble.Write(io.Discard, pages, assemble.Info{Title: "Giấy phép"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(pages))/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkWrite10Pages writes ten A4 colour JPEG pages at 200 dpi.
func BenchmarkWrite10Pages(b *testing.B) {
	data := scantest.JPEG(b, scantest.A4Page(), 85)
	benchmarkWrite(b, assemble.Page{Format: scan.JPEG, Data: data, DPIX: 200, DPIY: 200})
}

// BenchmarkWrite10PNGPages writes ten A4 RGB PNG pages at 200 dpi, which
// are decoded and compressed again.
func BenchmarkWrite10PNGPages(b *testing.B) {
	data := scantest.PNG(b, scantest.A4Page())
	benchmarkWrite(b, assemble.Page{Format: scan.PNG, Data: data, DPIX: 200, DPIY: 200})
}
