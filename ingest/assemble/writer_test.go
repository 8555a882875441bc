package assemble_test

import (
	"bytes"
	"errors"
	"image"
	"os"
	"testing"

	"github.com/khoso-vn/khoso/ingest/assemble"
	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// bilevelTIFF is a 1-bit G4 TIFF page at 300 dpi, drawn from the A4 page.
func bilevelTIFF(tb testing.TB, blackIsZero bool) []byte {
	tb.Helper()
	img := scantest.Gray(scantest.A4Page().SubImage(image.Rect(100, 150, 900, 700)))
	return scantest.TIFF(tb, scantest.TIFFPage{Img: img, Compression: scantest.TIFFG4, Bilevel: true,
		BlackIsZero: blackIsZero, DPI: 300})
}

// scanPages normalises every page of a file for the writer.
func scanPages(tb testing.TB, data []byte) []assemble.Page {
	tb.Helper()
	var out []assemble.Page
	err := scan.Pages(data, "test", scan.Options{}, func(p *scan.Page) error {
		out = append(out, assemble.FromScan(p))
		return nil
	})
	if err != nil {
		tb.Fatalf("scan.Pages: %v", err)
	}
	return out
}

func TestWriterStreamsG4(t *testing.T) {
	t.Parallel()
	var pages []assemble.Page
	pages = append(pages, scanPages(t, bilevelTIFF(t, false))...)
	pages = append(pages, scanPages(t, bilevelTIFF(t, true))...)
	pages = append(pages, normalised(t, scantest.JPEG(t, scantest.Quadrants(64, 32), 80)))
	var buf bytes.Buffer
	w := assemble.NewWriter(&buf, assemble.Info{Title: "G4"})
	for _, p := range pages {
		if err := w.Add(p); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	path := savePDF(t, buf.Bytes())
	checkValid(t, path, buf.Bytes(), len(pages))
	rows := listImages(t, path)
	for i, r := range rows[:2] {
		if r.enc != "ccitt" || r.bpc != 1 || r.color != "gray" || r.width != 800 || r.height != 550 {
			t.Errorf("page %d: pdfimages row %+v, want 800x550 gray 1 bpc ccitt", i+1, r)
		}
	}
	if !bytes.Contains(buf.Bytes(), pages[0].Data) {
		t.Error("G4 data not embedded byte for byte")
	}
	files := extractImages(t, path)
	a, _ := os.ReadFile(files[0])
	b, _ := os.ReadFile(files[1])
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("WhiteIsZero and BlackIsZero G4 pages do not render the same pixels")
	}
}

func TestWriterRefuses(t *testing.T) {
	t.Parallel()
	w := assemble.NewWriter(&bytes.Buffer{}, assemble.Info{})
	if err := w.Close(); !errors.Is(err, assemble.ErrInvalidPage) {
		t.Errorf("Close with no pages = %v, want ErrInvalidPage", err)
	}
	w = assemble.NewWriter(&bytes.Buffer{}, assemble.Info{})
	if err := w.Add(assemble.Page{Format: scan.G4, Data: []byte{0}}); !errors.Is(err, assemble.ErrInvalidPage) {
		t.Errorf("Add G4 without size = %v, want ErrInvalidPage", err)
	}
	if err := w.Close(); !errors.Is(err, assemble.ErrInvalidPage) {
		t.Errorf("Close after a page error = %v, want the page error", err)
	}
}
