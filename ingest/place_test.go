package ingest_test

import (
	"context"
	"testing"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
	"github.com/khoso-vn/khoso/signing/stamp/place/placetest"
)

// TestSignaturesOnBlankPaper: a permit laid out as Decree 30/2020, its
// header from 18 mm, is ingested. Page 1 of the signed result, rendered at
// 200 dpi, reads back (Tesseract) with the header's words and both
// signatures' words, and no pixel of either signature box lies on the
// scan's ink (renders of the signed and the unsigned PDF compared).
func TestSignaturesOnBlankPaper(t *testing.T) {
	placetest.RequireTool(t, "pdftoppm", "poppler-utils")
	placetest.RequireTool(t, "tesseract", "tesseract-ocr tesseract-ocr-vie")
	t.Parallel()
	b := setup(t)
	scan := scantest.WithJFIF(scantest.JPEG(t, placetest.Permit(t, 18), 90), scantest.UnitsDPI, 200, 200)
	r := b.send(t, map[string][]byte{"giay-phep.jpg": scan}, "giay-phep.jpg")
	if r.Status != archive.StatusAvailable {
		t.Fatalf("record %s: %s", r.Status, r.Reason)
	}
	pdf, err := archive.ReadAll(context.Background(), b.blobs, r.Result)
	if err != nil {
		t.Fatal(err)
	}
	unsigned, err := archive.ReadAll(context.Background(), b.blobs, r.Unsigned)
	if err != nil {
		t.Fatal(err)
	}
	after := placetest.Render(t, pdf, placetest.DPI)
	o := placetest.StampOverInk(placetest.Render(t, unsigned, placetest.DPI), after, 2)
	if o.OverInk > 0 || o.Changed < 2000 {
		t.Errorf("signature boxes changed %d pixels, %d of them on the scan's ink (first at %v px); want thousands, none on ink",
			o.Changed, o.OverInk, o.First)
	}
	text := placetest.OCR(t, after)
	words := append(append([]string{"Scanned by", "Converted from paper", "Sở Tài nguyên và Môi trường"},
		placetest.AgencyWords...), placetest.MottoWords...)
	if missing := placetest.MissingWords(text, words...); len(missing) > 0 {
		t.Errorf("page 1 read back without %q (notes: %q):\n%s", missing, r.Pages[0].Notes, text)
	}
}
