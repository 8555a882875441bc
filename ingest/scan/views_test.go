package scan_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// checkView decodes v and checks its size against the page's, its long side
// and its colour model.
func checkView(tb testing.TB, what string, v scan.View, p *scan.Page, long int, gray bool) image.Image {
	tb.Helper()
	img, err := jpeg.Decode(bytes.NewReader(v.Data))
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
	b := img.Bounds()
	if b.Dx() != v.Width || b.Dy() != v.Height {
		tb.Errorf("%s decodes %dx%d, says %dx%d", what, b.Dx(), b.Dy(), v.Width, v.Height)
	}
	want := min(long, max(p.Width, p.Height))
	if max(b.Dx(), b.Dy()) != want {
		tb.Errorf("%s is %dx%d, want long side %d (page %dx%d)", what, b.Dx(), b.Dy(), want, p.Width, p.Height)
	}
	if r, pr := float64(b.Dx())/float64(b.Dy()), float64(p.Width)/float64(p.Height); r < pr*0.98 || r > pr*1.02 {
		tb.Errorf("%s aspect %.3f, page %.3f", what, r, pr)
	}
	if _, isGray := img.(*image.Gray); isGray != gray {
		tb.Errorf("%s decodes as %T, want gray %t", what, img, gray)
	}
	return img
}

// TestViews: every page of every kind gets a 200-pixel thumbnail and a
// 1000-pixel preview, gray for gray and bilevel pages, colour for colour
// ones; a page smaller than a view is not enlarged.
func TestViews(t *testing.T) {
	t.Parallel()
	g := scantest.Gray(scantest.A4Page())
	cases := []struct {
		name string
		data []byte
		gray bool
	}{
		{"jpeg-colour-straight", scantest.WithJFIF(scantest.JPEG(t, scantest.A4Page(), 85), scantest.UnitsDPI, 200, 200), false},
		{"jpeg-gray-skewed", skewed(t, 300, -2, true), true},
		{"jpeg-colour-skewed", skewed(t, 200, 1.5, false), false},
		{"tiff-g4", scantest.TIFF(t, scantest.TIFFPage{Img: g, Compression: scantest.TIFFG4, Bilevel: true, DPI: 200}), true},
		{"tiff-g4-blackiszero", scantest.TIFF(t, scantest.TIFFPage{Img: g, Compression: scantest.TIFFG4, Bilevel: true,
			BlackIsZero: true, DPI: 200}), true},
		{"png-small", scantest.WithPHYs(scantest.PNG(t, crop()), 7874, 7874), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, p := range allPages(t, c.data, scan.Options{}) {
				checkView(t, "thumb", p.Thumb, p, scan.DefaultThumbSize, c.gray)
				checkView(t, "preview", p.Preview, p, scan.DefaultPreviewSize, c.gray)
			}
		})
	}
}

// TestViewsKeepSealRed: the red seal of the test page is still red in the
// thumbnail, and the text still dark.
func TestViewsKeepSealRed(t *testing.T) {
	t.Parallel()
	in := scantest.WithJFIF(scantest.JPEG(t, scantest.A4Page(), 85), scantest.UnitsDPI, 200, 200)
	p := allPages(t, in, scan.Options{})[0]
	img := checkView(t, "preview", p.Preview, p, scan.DefaultPreviewSize, false)
	// The seal's outer ring passes 150 px right of its centre (1200, 1950).
	s := float64(p.Preview.Width) / float64(p.Width)
	r, gr, b, _ := img.At(int(1344*s), int(1950*s)).RGBA()
	if r>>8 < 150 || gr>>8 > 110 || b>>8 > 110 {
		t.Errorf("seal ring in the preview is %v, want red", color.RGBA64{uint16(r), uint16(gr), uint16(b), 0xffff})
	}
}

// TestViewsFromStored: the views of a stored page, as a backfill makes
// them, are the same bytes as those Pages made, for pages kept as they
// came (JPEG, G4 of either polarity).
func TestViewsFromStored(t *testing.T) {
	t.Parallel()
	g := scantest.Gray(scantest.A4Page())
	for _, in := range [][]byte{
		scantest.WithJFIF(scantest.JPEG(t, scantest.A4Page(), 85), scantest.UnitsDPI, 200, 200),
		scantest.TIFF(t, scantest.TIFFPage{Img: g, Compression: scantest.TIFFG4, Bilevel: true, DPI: 200},
			scantest.TIFFPage{Img: g, Compression: scantest.TIFFG4, Bilevel: true, BlackIsZero: true, DPI: 200}),
	} {
		for _, p := range allPages(t, in, scan.Options{}) {
			thumb, preview, err := scan.Views(scan.Stored{Data: p.Data, Format: p.Format, Width: p.Width, Height: p.Height,
				BlackIs1: p.BlackIs1}, scan.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(thumb.Data, p.Thumb.Data) || !bytes.Equal(preview.Data, p.Preview.Data) {
				t.Errorf("%s page %d (blackIs1 %t): views from the stored page differ from those Pages made",
					p.Format, p.Number, p.BlackIs1)
			}
		}
	}
}

// TestViewsRefuse: damaged stored data is refused as corrupt, an unknown
// format as unsupported.
func TestViewsRefuse(t *testing.T) {
	t.Parallel()
	in := scantest.WithJFIF(scantest.JPEG(t, scantest.A4Page(), 85), scantest.UnitsDPI, 200, 200)
	if _, _, err := scan.Views(scan.Stored{Data: in[:len(in)/2], Format: scan.JPEG}, scan.Options{}); !errors.Is(err, scan.ErrCorrupt) {
		t.Errorf("truncated JPEG: %v, want ErrCorrupt", err)
	}
	if _, _, err := scan.Views(scan.Stored{Data: in, Format: scan.TIFF}, scan.Options{}); !errors.Is(err, scan.ErrUnsupported) {
		t.Errorf("TIFF: %v, want ErrUnsupported", err)
	}
}

// TestViewsDisabled: negative sizes make no views.
func TestViewsDisabled(t *testing.T) {
	t.Parallel()
	in := scantest.WithJFIF(scantest.JPEG(t, scantest.A4Page(), 85), scantest.UnitsDPI, 200, 200)
	p := allPages(t, in, scan.Options{ThumbSize: -1, PreviewSize: -1})[0]
	if p.Thumb.Data != nil || p.Preview.Data != nil {
		t.Error("views made with negative sizes")
	}
}
