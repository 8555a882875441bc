package scan

import (
	"image"
	"testing"
)

// BenchmarkWarp rotates a 200-dpi A4 colour page (YCbCr 4:2:0) by 1.5°.
func BenchmarkWarp(b *testing.B) {
	img := image.NewYCbCr(image.Rect(0, 0, 1654, 2339), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = byte(i * 7 % 251)
	}
	b.SetBytes(int64(len(img.Y) + 2*len(img.Cb)))
	for b.Loop() {
		warp(img, 1.5, 1)
	}
}
