package signing_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/signing"
	"github.com/pdfcpu/pdfcpu/pkg/api"
)

// scannedPDF is a document of n A4 pages at 200 dpi, each a gray JPEG of
// noisy paper (about 0.5 MB), as pdfcpu assembles them.
func scannedPDF(tb testing.TB, n int) []byte {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var pages []io.Reader
	for range n {
		img := image.NewGray(image.Rect(0, 0, 1654, 2339))
		for i := range img.Pix {
			img.Pix[i] = uint8(200 + rng.IntN(56))
		}
		for y := 300; y < 2000; y += 40 {
			for x := 200; x < 1450; x++ {
				img.SetGray(x, y, color.Gray{Y: 20})
			}
		}
		var jpg bytes.Buffer
		if err := jpeg.Encode(&jpg, img, &jpeg.Options{Quality: 75}); err != nil {
			tb.Fatal(err)
		}
		pages = append(pages, &jpg)
	}
	var out bytes.Buffer
	api.DisableConfigDir()
	if err := api.ImportImages(nil, &out, pages, nil, nil); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// BenchmarkSignDocument is the sign stage of one 3-page result as the
// pipeline runs it: the clerk's visible certification signature, the
// agency's visible locking one, then validation data (DSS with CRLs) and a
// document timestamp. It reports the time per document and, of it, the
// time the TSA took to answer (a local TSA: what is left is khoso's own
// work).
func BenchmarkSignDocument(b *testing.B) {
	bundle := setupLTV(b)
	doc := scannedPDF(b, 3)
	ctx := context.Background()
	b.SetBytes(int64(len(doc)))
	start := time.Now()
	for b.Loop() {
		d := signing.Open(doc)
		agencyLines := []string{"Chuyển đổi từ văn bản giấy", "Thời điểm chuyển đổi: 2026-03-04 09:20", "Sở Xây dựng Hà Nội"}
		if err := bundle.clerk.SignDocument(ctx, d, signing.SignOptions{Certify: true, Visible: &signing.VisibleText{
			Lines: []string{"Người quét: Nguyễn Thị Hương", "Thời điểm quét: 2026-03-04 09:15"}, FontAlso: agencyLines}}); err != nil {
			b.Fatal(err)
		}
		if err := bundle.agency.SignDocument(ctx, d, signing.SignOptions{Lock: true, Visible: &signing.VisibleText{
			Lines: agencyLines, Position: signing.TopRight}}); err != nil {
			b.Fatal(err)
		}
		if err := bundle.agency.ArchiveDocument(ctx, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/doc")
}
