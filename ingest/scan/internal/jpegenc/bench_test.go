package jpegenc

import (
	"bytes"
	"image"
	"image/jpeg"
	"sync"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// The benchmark pages: A4 at 200 dpi in colour (YCbCr 4:2:0, as decoded
// from a colour scan) and at 300 dpi in gray, made once.
var (
	benchColour = sync.OnceValue(func() image.Image {
		return toYCbCr(page(1654, 2339, 1, 1), image.YCbCrSubsampleRatio420)
	})
	benchGray = sync.OnceValue(func() image.Image {
		return scantest.Gray(page(2480, 3508, 1.5, 2))
	})
)

// BenchmarkEncode encodes the two pages at quality 85 with Encode and with
// image/jpeg. MB/s counts pixels; bytes is the output size.
func BenchmarkEncode(b *testing.B) {
	pages := []struct {
		name string
		img  func() image.Image
	}{
		{"ycbcr420-1654x2339", benchColour},
		{"gray-2480x3508", benchGray},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			img := p.img()
			pixels := int64(img.Bounds().Dx() * img.Bounds().Dy())
			b.Run("jpegenc", func(b *testing.B) {
				b.SetBytes(pixels)
				var n int
				for b.Loop() {
					data, err := Encode(img, 85)
					if err != nil {
						b.Fatal(err)
					}
					n = len(data)
				}
				b.ReportMetric(float64(n), "bytes")
			})
			b.Run("image-jpeg", func(b *testing.B) {
				b.SetBytes(pixels)
				var buf bytes.Buffer
				for b.Loop() {
					buf.Reset()
					if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(buf.Len()), "bytes")
			})
		})
	}
}
