package scan_test

import (
	"testing"
	"time"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// TestScanTime reads when each kind of file says its page was scanned: a JPEG's EXIF
// DateTimeOriginal (with or without its zone), a TIFF page's DateTime, a scanner PDF's
// /CreationDate; and nothing from a file that says nothing.
func TestScanTime(t *testing.T) {
	t.Parallel()
	vn := time.FixedZone("+07:00", 7*3600)
	at := time.Date(2026, 3, 4, 9, 15, 30, 0, vn)
	jpg := scantest.WithJFIF(scantest.JPEG(t, tiny(), 80), scantest.UnitsDPI, 200, 200)
	for name, c := range map[string]struct {
		data []byte
		want time.Time
		from scan.Format
	}{
		"JPEG EXIF DateTimeOriginal, no zone":  {scantest.WithEXIFDate(jpg, "2026:03:04 09:15:30", ""), at, scan.JPEG},
		"JPEG EXIF DateTimeOriginal in +01:00": {scantest.WithEXIFDate(jpg, "2026:03:04 03:15:30", "+01:00"), at, scan.JPEG},
		"JPEG without EXIF":                    {jpg, time.Time{}, ""},
		"JPEG EXIF zero date":                  {scantest.WithEXIFDate(jpg, "0000:00:00 00:00:00", ""), time.Time{}, ""},
		"TIFF DateTime": {scantest.TIFF(t, scantest.TIFFPage{Img: scantest.Gray(tiny()), DPI: 200, DateTime: "2026:03:04 09:15:30"}),
			at, scan.TIFF},
		"TIFF without DateTime": {scantest.TIFF(t, scantest.TIFFPage{Img: scantest.Gray(tiny()), DPI: 200}), time.Time{}, ""},
		"PDF CreationDate": {scantest.ImagePDFInfo("/CreationDate (D:20260304021530Z)", scantest.PDFImage{Filter: "DCTDecode",
			Data: scantest.JPEG(t, tiny(), 80), W: 80, H: 60, BPC: 8, ColorSpace: "DeviceRGB", DPI: 200}), at, scan.PDF},
		"PDF without Info": {scantest.ImagePDF(scantest.PDFImage{Filter: "DCTDecode",
			Data: scantest.JPEG(t, tiny(), 80), W: 80, H: 60, BPC: 8, ColorSpace: "DeviceRGB", DPI: 200}), time.Time{}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got []*scan.Page
			if err := scan.Pages(c.data, name, scan.Options{}, func(p *scan.Page) error { got = append(got, p); return nil }); err != nil {
				t.Fatal(err)
			}
			if p := got[0]; !p.ScannedAt.Equal(c.want) || p.ScannedFrom != c.from {
				t.Errorf("scanned at %v from %q, want %v from %q", p.ScannedAt, p.ScannedFrom, c.want, c.from)
			}
		})
	}
}
