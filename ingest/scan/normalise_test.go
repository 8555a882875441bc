package scan_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// want is what a test expects Normalise to return.
type want struct {
	format     scan.Format
	w, h       int
	dpiX, dpiY float64
	color      string
	reencoded  bool
}

func check(tb testing.TB, in []byte, p *scan.Page, w want) {
	tb.Helper()
	got := want{p.Format, p.Width, p.Height, p.DPIX, p.DPIY, p.ColorModel, p.Reencoded}
	if got != w {
		tb.Errorf("Normalise = %+v, want %+v", got, w)
	}
	if !w.reencoded && !bytes.Equal(p.Data, in) {
		tb.Errorf("Data differs from the input (%d vs %d bytes), want the original bytes", len(p.Data), len(in))
	}
}

func TestNormaliseKeepsOriginal(t *testing.T) {
	t.Parallel()
	a4 := scantest.A4Page()
	small := scantest.Quadrants(64, 32)
	gray := scantest.Gray(small)
	tests := []struct {
		name string
		in   []byte
		want want
	}{
		{"A4 colour JFIF 200 dpi", scantest.WithJFIF(scantest.JPEG(t, a4, 85), scantest.UnitsDPI, 200, 200),
			want{scan.JPEG, 1654, 2339, 200, 200, scan.ColorRGB, false}},
		{"JFIF 300 dpi", scantest.WithJFIF(scantest.JPEG(t, small, 85), scantest.UnitsDPI, 300, 300),
			want{scan.JPEG, 64, 32, 300, 300, scan.ColorRGB, false}},
		{"JFIF 79 dpcm is 200 dpi", scantest.WithJFIF(scantest.JPEG(t, small, 85), scantest.UnitsDPCM, 79, 118),
			want{scan.JPEG, 64, 32, 200, 300, scan.ColorRGB, false}},
		{"JFIF aspect only", scantest.WithJFIF(scantest.JPEG(t, small, 85), scantest.UnitsNone, 1, 1),
			want{scan.JPEG, 64, 32, 0, 0, scan.ColorRGB, false}},
		{"no density", scantest.JPEG(t, small, 85),
			want{scan.JPEG, 64, 32, 0, 0, scan.ColorRGB, false}},
		{"gray JPEG", scantest.WithJFIF(scantest.JPEG(t, gray, 85), scantest.UnitsDPI, 200, 200),
			want{scan.JPEG, 64, 32, 200, 200, scan.ColorGray, false}},
		{"EXIF resolution little endian", exifJPEG(t, small, scantest.EXIF{Order: binary.LittleEndian,
			XResolution: [2]uint32{300, 1}, YResolution: [2]uint32{600, 2}, ResolutionUnit: 2}),
			want{scan.JPEG, 64, 32, 300, 300, scan.ColorRGB, false}},
		{"EXIF resolution in cm", exifJPEG(t, small, scantest.EXIF{
			XResolution: [2]uint32{7874, 100}, YResolution: [2]uint32{79, 1}, ResolutionUnit: 3}),
			want{scan.JPEG, 64, 32, 200, 200, scan.ColorRGB, false}},
		{"EXIF orientation 1", exifJPEG(t, small, scantest.EXIF{Orientation: 1}),
			want{scan.JPEG, 64, 32, 0, 0, scan.ColorRGB, false}},
		{"JFIF wins over EXIF", scantest.WithJFIF(exifJPEG(t, small, scantest.EXIF{
			XResolution: [2]uint32{72, 1}, YResolution: [2]uint32{72, 1}}), scantest.UnitsDPI, 300, 300),
			want{scan.JPEG, 64, 32, 300, 300, scan.ColorRGB, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := scan.Normalise(tt.in, scan.Limits{})
			if err != nil {
				t.Fatalf("Normalise: %v", err)
			}
			check(t, tt.in, p, tt.want)
		})
	}
}

func exifJPEG(tb testing.TB, img image.Image, e scantest.EXIF) []byte {
	tb.Helper()
	return scantest.WithEXIF(scantest.JPEG(tb, img, 90), e)
}

func TestNormalisePNG(t *testing.T) {
	t.Parallel()
	src := scantest.Quadrants(40, 30)
	tests := []struct {
		name  string
		img   image.Image
		color string
	}{
		{"gray", scantest.Gray(src), scan.ColorGray},
		{"gray 16-bit", scantest.Gray16(src), scan.ColorGray},
		{"RGB", src, scan.ColorRGB},
		{"RGB 16-bit", scantest.RGBA64(src), scan.ColorRGB},
		{"palette", scantest.Paletted(src), scan.ColorPalette},
		{"RGBA", scantest.WithAlpha(src), scan.ColorRGBA},
		{"gray+alpha", scantest.WithAlpha(scantest.Gray(src)), scan.ColorGrayAlpha},
		{"RGBA 16-bit", scantest.RGBA64(scantest.WithAlpha(src)), scan.ColorRGBA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := scantest.WithPHYs(encodePNG(t, tt.img), 7874, 11811)
			p, err := scan.Normalise(in, scan.Limits{})
			if err != nil {
				t.Fatalf("Normalise: %v", err)
			}
			check(t, in, p, want{scan.PNG, 40, 30, 200, 300, tt.color, false})
		})
	}
}

// encodePNG encodes img, writing a gray NRGBA as gray with alpha.
func encodePNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	if n, ok := img.(*image.NRGBA); ok && isGray(n) {
		return scantest.GrayAlphaPNG(n)
	}
	return scantest.PNG(tb, img)
}

func isGray(n *image.NRGBA) bool {
	for i := 0; i < len(n.Pix); i += 4 {
		if n.Pix[i] != n.Pix[i+1] || n.Pix[i+1] != n.Pix[i+2] {
			return false
		}
	}
	return true
}

func TestNormalisePNGWithoutPHYs(t *testing.T) {
	t.Parallel()
	in := scantest.PNG(t, scantest.Quadrants(8, 8))
	p, err := scan.Normalise(in, scan.Limits{})
	if err != nil {
		t.Fatalf("Normalise: %v", err)
	}
	check(t, in, p, want{scan.PNG, 8, 8, 0, 0, scan.ColorRGB, false})
}

func TestNormaliseReencodedGrayStaysGray(t *testing.T) {
	t.Parallel()
	in := scantest.WithJFIF(exifJPEG(t, scantest.Gray(scantest.Quadrants(64, 32)), scantest.EXIF{Orientation: 6}),
		scantest.UnitsDPI, 300, 200)
	p, err := scan.Normalise(in, scan.Limits{})
	if err != nil {
		t.Fatalf("Normalise: %v", err)
	}
	check(t, in, p, want{scan.JPEG, 32, 64, 200, 300, scan.ColorGray, true})
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatalf("re-encoded data: %v", err)
	}
	if cfg.ColorModel != color.GrayModel {
		t.Errorf("re-encoded colour model = %v, want one-component gray", cfg.ColorModel)
	}
	again, err := scan.Normalise(p.Data, scan.Limits{})
	if err != nil {
		t.Fatalf("Normalise(re-encoded): %v", err)
	}
	check(t, p.Data, again, want{scan.JPEG, 32, 64, 200, 300, scan.ColorGray, false})
}
