package scan_test

import (
	"bytes"
	"image"
	"math"
	"testing"

	"golang.org/x/image/ccitt"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// pageWant is what a test expects of one yielded page.
type pageWant struct {
	format    scan.Format
	w, h      int
	dpi       float64
	color     string
	reencoded bool
	blackIs1  bool
}

func got(p *scan.Page) pageWant {
	return pageWant{p.Format, p.Width, p.Height, p.DPIX, p.ColorModel, p.Reencoded, p.BlackIs1}
}

// allPages runs Pages and collects what it yields.
func allPages(tb testing.TB, data []byte, opt scan.Options) []*scan.Page {
	tb.Helper()
	var out []*scan.Page
	if err := scan.Pages(data, "test", opt, func(p *scan.Page) error { out = append(out, p); return nil }); err != nil {
		tb.Fatalf("Pages: %v", err)
	}
	return out
}

// crop is a 400×300 piece of the text page: enough ink to measure it
// straight.
func crop() image.Image { return scantest.A4Page().SubImage(image.Rect(150, 180, 550, 480)) }

func TestPagesTIFF(t *testing.T) {
	t.Parallel()
	gray, rgb := scantest.Gray(crop()), crop()
	bi := func(comp int, blackIsZero, fill2 bool) scantest.TIFFPage {
		return scantest.TIFFPage{Img: gray, Compression: comp, Bilevel: true, BlackIsZero: blackIsZero, FillOrder2: fill2, DPI: 300}
	}
	pages := []scantest.TIFFPage{
		bi(scantest.TIFFG4, false, false),
		bi(scantest.TIFFG4, true, false),
		bi(scantest.TIFFG4, false, true),
		bi(scantest.TIFFNone, false, false),
		{Img: gray, Compression: scantest.TIFFLZW, DPI: 200, RowsPerStrip: 7},
		{Img: rgb, Compression: scantest.TIFFDeflate, DPI: 200},
		{Img: rgb, Compression: scantest.TIFFNone, DPI: 200, RowsPerStrip: 100},
		{Img: rgb, Compression: scantest.TIFFJPEG, DPI: 200},
		{Img: gray, Compression: scantest.TIFFJPEG, DPI: 300, RowsPerStrip: 64},
	}
	want := []pageWant{
		{scan.G4, 400, 300, 300, scan.ColorBilevel, false, false},
		{scan.G4, 400, 300, 300, scan.ColorBilevel, false, true},
		{scan.G4, 400, 300, 300, scan.ColorBilevel, false, false},
		{scan.G4, 400, 300, 300, scan.ColorBilevel, true, false},
		{scan.JPEG, 400, 300, 200, scan.ColorGray, true, false},
		{scan.JPEG, 400, 300, 200, scan.ColorRGB, true, false},
		{scan.JPEG, 400, 300, 200, scan.ColorRGB, true, false},
		{scan.JPEG, 400, 300, 200, scan.ColorRGB, false, false},
		{scan.JPEG, 400, 300, 300, scan.ColorGray, true, false},
	}
	out := allPages(t, scantest.TIFF(t, pages...), scan.Options{})
	if len(out) != len(want) {
		t.Fatalf("Pages yielded %d pages, want %d", len(out), len(want))
	}
	for i, p := range out {
		if g := got(p); g != want[i] || p.Number != i+1 {
			t.Errorf("page %d: got %+v (number %d), want %+v", i+1, g, p.Number, want[i])
		}
		if p.Format == scan.G4 {
			checkG4(t, i+1, p, gray)
		}
	}
}

// checkG4 decodes a G4 page as a PDF reader would and compares it with
// the source thresholded at 128.
func checkG4(tb testing.TB, n int, p *scan.Page, src *image.Gray) {
	tb.Helper()
	dst := image.NewGray(image.Rect(0, 0, p.Width, p.Height))
	err := ccitt.DecodeIntoGray(dst, bytes.NewReader(p.Data), ccitt.MSB, ccitt.Group4, &ccitt.Options{Invert: p.BlackIs1})
	if err != nil {
		tb.Fatalf("page %d: decode G4: %v", n, err)
	}
	for i, v := range dst.Pix {
		if (v < 128) != (src.Pix[i] < 128) {
			tb.Fatalf("page %d: pixel %d differs from the source", n, i)
		}
	}
}

func TestPagesPDF(t *testing.T) {
	t.Parallel()
	gray := scantest.Gray(crop())
	jpg := scantest.JPEG(t, crop(), 85)
	g4 := allPages(t, scantest.TIFF(t, scantest.TIFFPage{Img: gray, Compression: scantest.TIFFG4, Bilevel: true, DPI: 300}),
		scan.Options{})[0].Data
	pdf := scantest.ImagePDF(
		scantest.PDFImage{Filter: "DCTDecode", Data: jpg, W: 400, H: 300, BPC: 8, ColorSpace: "DeviceRGB", DPI: 200},
		scantest.PDFImage{Filter: "CCITTFaxDecode", Data: g4, W: 400, H: 300, BPC: 1, ColorSpace: "DeviceGray", DPI: 300},
		scantest.PDFImage{Filter: "FlateDecode", Data: zlibData(t, gray.Pix), W: 400, H: 300, BPC: 8, ColorSpace: "DeviceGray", DPI: 250},
		scantest.PDFImage{Filter: "DCTDecode", Data: jpg, W: 400, H: 300, BPC: 8, ColorSpace: "DeviceRGB", DPI: 200, Rotate: 90},
	)
	want := []pageWant{
		{scan.JPEG, 400, 300, 200, scan.ColorRGB, false, false},
		{scan.G4, 400, 300, 300, scan.ColorBilevel, false, false},
		{scan.JPEG, 400, 300, 250, scan.ColorGray, true, false},
		{scan.JPEG, 300, 400, 200, scan.ColorRGB, true, false},
	}
	out := allPages(t, pdf, scan.Options{})
	if len(out) != len(want) {
		t.Fatalf("Pages yielded %d pages, want %d", len(out), len(want))
	}
	for i, p := range out {
		if g := got(p); g != want[i] {
			t.Errorf("page %d: got %+v, want %+v", i+1, g, want[i])
		}
	}
	if !bytes.Equal(out[0].Data, jpg) || !bytes.Equal(out[1].Data, g4) {
		t.Error("JPEG or G4 page image not taken byte for byte from the PDF")
	}
}

func TestPagesFlags(t *testing.T) {
	t.Parallel()
	white := image.NewGray(image.Rect(0, 0, 1654, 2339))
	for i := range white.Pix {
		white.Pix[i] = 250
	}
	a4 := scantest.A4Page()
	png600 := scantest.WithPHYs(scantest.PNG(t, scantest.Gray(a4)), 23622, 23622) // 600 dpi
	tests := []struct {
		name      string
		in        []byte
		confirmed float64 // Options.ConfirmedDPI
		want      scan.Flags
		w, h      int
		dpi       float64
	}{
		{"no dpi", scantest.JPEG(t, a4, 85), 0, scan.Flags{NoDPI: true}, 1654, 2339, 0},
		{"150 dpi", scantest.WithJFIF(scantest.JPEG(t, a4, 85), scantest.UnitsDPI, 150, 150), 0, scan.Flags{LowDPI: true}, 1654, 2339, 150},
		{"200 dpi straight", scantest.WithJFIF(scantest.JPEG(t, a4, 85), scantest.UnitsDPI, 200, 200), 0, scan.Flags{}, 1654, 2339, 200},
		{"blank back", scantest.WithJFIF(scantest.JPEG(t, white, 85), scantest.UnitsDPI, 200, 200), 0, scan.Flags{Blank: true}, 1654, 2339, 200},
		{"600 dpi resampled", png600, 0, scan.Flags{Resampled: true}, 827, 1169, 300},
		{"no dpi, clerk confirms 200", scantest.JPEG(t, a4, 85), 200, scan.Flags{DPIConfirmed: true}, 1654, 2339, 200},
		{"72 dpi, clerk confirms 200", scantest.WithJFIF(scantest.JPEG(t, a4, 85), scantest.UnitsDPI, 72, 72), 200,
			scan.Flags{DPIConfirmed: true}, 1654, 2339, 200},
		{"no dpi, clerk confirms 150", scantest.JPEG(t, a4, 85), 150, scan.Flags{LowDPI: true, DPIConfirmed: true}, 1654, 2339, 150},
		{"200 dpi declared, confirmation not needed", scantest.WithJFIF(scantest.JPEG(t, a4, 85), scantest.UnitsDPI, 200, 200), 300,
			scan.Flags{}, 1654, 2339, 200},
		{"600 dpi confirmed is resampled", scantest.JPEG(t, a4, 85), 600, scan.Flags{DPIConfirmed: true, Resampled: true}, 827, 1169, 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := onePage(t, tt.in, scan.Options{ConfirmedDPI: tt.confirmed})
			if math.Abs(p.Flags.Skew) < 0.1 {
				p.Flags.Skew = 0 // straight, within what deskewing ignores
			}
			if p.Flags != tt.want || p.Width != tt.w || p.Height != tt.h {
				t.Errorf("flags %+v, %dx%d; want %+v, %dx%d", p.Flags, p.Width, p.Height, tt.want, tt.w, tt.h)
			}
			if math.Abs(p.DPIX-tt.dpi) > 0.5 || math.Abs(p.DPIY-tt.dpi) > 0.5 {
				t.Errorf("resolution %gx%g; want %g", p.DPIX, p.DPIY, tt.dpi)
			}
			if !p.Flags.Resampled && !bytes.Equal(p.Data, tt.in) {
				t.Error("unchanged page re-encoded")
			}
		})
	}
}
