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

// benchPages measures Pages with default options on one page.
func benchPages(b *testing.B, in []byte) {
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if err := scan.Pages(in, "bench", scan.Options{}, func(*scan.Page) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkPagesStraight200Colour(b *testing.B) { benchPages(b, skewed(b, 200, 0, false)) }
func BenchmarkPagesSkewed200Colour(b *testing.B)   { benchPages(b, skewed(b, 200, 1.5, false)) }
func BenchmarkPagesSkewed300Gray(b *testing.B)     { benchPages(b, skewed(b, 300, -2, true)) }
