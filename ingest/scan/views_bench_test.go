package scan

import (
	"image"
	"testing"
)

// benchViews measures the thumbnail and preview of one page's pixels
// alone, the cost Pages adds to each page.
func benchViews(b *testing.B, img image.Image) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := views(img, false, Options{ThumbSize: DefaultThumbSize, PreviewSize: DefaultPreviewSize}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
}

// BenchmarkViews200Colour: a 200-dpi A4 colour page, YCbCr 4:2:0 as
// decoded from a JPEG.
func BenchmarkViews200Colour(b *testing.B) {
	img := image.NewYCbCr(image.Rect(0, 0, 1654, 2339), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = byte(i * 7 % 251)
	}
	benchViews(b, img)
}

// BenchmarkViews300Gray: a 300-dpi A4 gray page.
func BenchmarkViews300Gray(b *testing.B) {
	img := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7 % 251)
	}
	benchViews(b, img)
}
