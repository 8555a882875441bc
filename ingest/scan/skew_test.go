package scan_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// skewed returns a JPEG of an A4 page at dpi turned by deg degrees.
func skewed(tb testing.TB, dpi int, deg float64, gray bool) []byte {
	tb.Helper()
	img := scantest.Rotate(scantest.A4PageAt(dpi, uint64(dpi)), deg)
	if gray {
		return scantest.WithJFIF(scantest.JPEG(tb, scantest.Gray(img), 85), scantest.UnitsDPI, uint16(dpi), uint16(dpi))
	}
	return scantest.WithJFIF(scantest.JPEG(tb, img, 85), scantest.UnitsDPI, uint16(dpi), uint16(dpi))
}

// onePage runs Pages on a one-page file.
func onePage(tb testing.TB, data []byte, opt scan.Options) *scan.Page {
	tb.Helper()
	var got []*scan.Page
	if err := scan.Pages(data, "test", opt, func(p *scan.Page) error { got = append(got, p); return nil }); err != nil {
		tb.Fatalf("Pages: %v", err)
	}
	if len(got) != 1 {
		tb.Fatalf("Pages yielded %d pages, want 1", len(got))
	}
	return got[0]
}

func TestDeskewAccuracy(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		dpi  int
		gray bool
	}{{150, false}, {300, true}} {
		for _, deg := range []float64{-5, -3, -1.3, -0.5, -0.2, 0.2, 0.35, 0.8, 2, 4.5, 5} {
			t.Run(fmt.Sprintf("%ddpi/%+.2f", tt.dpi, deg), func(t *testing.T) {
				t.Parallel()
				p := onePage(t, skewed(t, tt.dpi, deg, tt.gray), scan.Options{})
				if math.Abs(p.Flags.Skew-deg) > 0.1 {
					t.Errorf("measured skew %.3f°, want %.2f° ± 0.1°", p.Flags.Skew, deg)
				}
				if p.Flags.Deskewed != p.Flags.Skew || !p.Reencoded {
					t.Errorf("Deskewed %.3f, Reencoded %t; want the page turned by its skew", p.Flags.Deskewed, p.Reencoded)
				}
				again := onePage(t, p.Data, scan.Options{})
				if math.Abs(again.Flags.Skew) > 0.1 {
					t.Errorf("after deskewing, skew %.3f°, want within 0.1° of 0", again.Flags.Skew)
				}
			})
		}
	}
}
