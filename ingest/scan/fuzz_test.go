package scan_test

import (
	"errors"
	"image"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// fuzzOptions keep fuzzed pages small so that each input runs fast.
var fuzzOptions = scan.Options{MaxPixels: 1 << 20, MaxPages: 8}

// fuzzPages checks that Pages either yields sane pages or refuses the
// input with an *Error, and never panics.
func fuzzPages(t *testing.T, data []byte) {
	err := scan.Pages(data, "fuzz", fuzzOptions, func(p *scan.Page) error {
		if p.Width <= 0 || p.Height <= 0 || len(p.Data) == 0 {
			t.Fatalf("page %d: %dx%d with %d bytes", p.Number, p.Width, p.Height, len(p.Data))
		}
		return nil
	})
	var se *scan.Error
	if err != nil && !errors.As(err, &se) {
		t.Fatalf("Pages error %v is not an *Error", err)
	}
}

// tiny is a small page with some ink.
func tiny() image.Image { return scantest.A4Page().SubImage(image.Rect(150, 190, 230, 250)) }

func FuzzJPEG(f *testing.F) {
	f.Add(scantest.WithJFIF(scantest.JPEG(f, tiny(), 80), scantest.UnitsDPI, 200, 200))
	f.Add(scantest.WithEXIF(scantest.JPEG(f, scantest.Gray(tiny()), 80), scantest.EXIF{Orientation: 6}))
	f.Add(scantest.HugeJPEG(20000, 20000))
	f.Fuzz(fuzzPages)
}

func FuzzPNG(f *testing.F) {
	f.Add(scantest.WithPHYs(scantest.PNG(f, tiny()), 11811, 11811))
	f.Add(scantest.PNG(f, scantest.Paletted(tiny())))
	f.Add(scantest.HugePNG(20000, 20000))
	f.Fuzz(fuzzPages)
}

func FuzzTIFF(f *testing.F) {
	g := scantest.Gray(tiny())
	for _, p := range []scantest.TIFFPage{
		{Img: g, Compression: scantest.TIFFG4, Bilevel: true, DPI: 300},
		{Img: g, Compression: scantest.TIFFLZW, DPI: 200, RowsPerStrip: 16},
		{Img: tiny(), Compression: scantest.TIFFDeflate, DPI: 200},
		{Img: tiny(), Compression: scantest.TIFFJPEG, DPI: 200, RowsPerStrip: 32},
		{Img: g, Bilevel: true, BlackIsZero: true},
	} {
		f.Add(scantest.TIFF(f, p, p))
	}
	f.Fuzz(fuzzPages)
}

func FuzzPDF(f *testing.F) {
	g := scantest.Gray(tiny())
	f.Add(scantest.ImagePDF(scantest.PDFImage{Filter: "DCTDecode", Data: scantest.JPEG(f, tiny(), 80), W: 80, H: 60, BPC: 8,
		ColorSpace: "DeviceRGB", DPI: 200}))
	f.Add(scantest.ImagePDF(scantest.PDFImage{Filter: "FlateDecode", Data: zlibData(f, g.Pix), W: 80, H: 60, BPC: 8,
		ColorSpace: "DeviceGray", DPI: 300}))
	f.Add(scantest.ImagePDF(scantest.PDFImage{Data: make([]byte, 60*10), W: 80, H: 60, BPC: 1,
		ColorSpace: "DeviceGray", DPI: 300}))
	f.Fuzz(fuzzPages)
}
