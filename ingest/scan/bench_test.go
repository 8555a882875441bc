package scan_test

import (
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

func BenchmarkNormaliseA4JPEG(b *testing.B) {
	in := scantest.WithJFIF(scantest.JPEG(b, scantest.A4Page(), 85), scantest.UnitsDPI, 200, 200)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scan.Normalise(in, scan.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkNormaliseA4JPEGRotated(b *testing.B) {
	in := scantest.WithEXIF(scantest.JPEG(b, scantest.A4Page(), 85), scantest.EXIF{Orientation: 6})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scan.Normalise(in, scan.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// benchPages measures Pages with opt on one page.
func benchPages(b *testing.B, in []byte, opt scan.Options) {
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if err := scan.Pages(in, "bench", opt, func(*scan.Page) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// noViews is the default options without the thumbnail and preview, the
// baseline their cost is measured against.
var noViews = scan.Options{ThumbSize: -1, PreviewSize: -1}

// The Pages benchmarks run with the default options (a thumbnail and a
// preview for each page) and, as NoViews, without them: the difference is
// what the two views cost a page.
func BenchmarkPagesStraight200Colour(b *testing.B) {
	benchPages(b, skewed(b, 200, 0, false), scan.Options{})
}
func BenchmarkPagesSkewed200Colour(b *testing.B) {
	benchPages(b, skewed(b, 200, 1.5, false), scan.Options{})
}
func BenchmarkPagesSkewed300Gray(b *testing.B) {
	benchPages(b, skewed(b, 300, -2, true), scan.Options{})
}

func BenchmarkPagesStraight200ColourNoViews(b *testing.B) {
	benchPages(b, skewed(b, 200, 0, false), noViews)
}
func BenchmarkPagesSkewed200ColourNoViews(b *testing.B) {
	benchPages(b, skewed(b, 200, 1.5, false), noViews)
}
func BenchmarkPagesSkewed300GrayNoViews(b *testing.B) {
	benchPages(b, skewed(b, 300, -2, true), noViews)
}
