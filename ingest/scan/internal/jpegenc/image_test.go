package jpegenc

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// Test images are made here, in code: a scanned page (off-white paper
// with noise, dark text-like strokes, a red circular seal) and a
// photograph-like image (gradients, texture, noise) for colour detail.

// page returns a w x h scanned page; scale is 1 at 200 dpi.
var noiseShared, noiseChan = 1.0, 0.5

func page(w, h int, scale float64, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 7))
	// Ink coverage of the text, 0..1, and of the seal.
	text := make([]float32, w*h)
	seal := make([]float32, w*h)

	// Text: lines of words of glyphs, each glyph 2 to 4 strokes.
	lineH := 40 * scale
	glyphW, glyphH := 13*scale, 20*scale
	halfW := 1.3 * scale
	for y := 0.08 * float64(h); y+glyphH < 0.75*float64(h); y += lineH {
		for x := 0.1 * float64(w); x+glyphW < 0.9*float64(w); {
			n := 2 + rng.IntN(9)
			for range n {
				if x+glyphW >= 0.9*float64(w) {
					break
				}
				for range 2 + rng.IntN(3) {
					x0 := x + rng.Float64()*glyphW
					y0 := y + rng.Float64()*glyphH
					x1 := x + rng.Float64()*glyphW
					y1 := y + rng.Float64()*glyphH
					stroke(text, w, h, x0, y0, x1, y1, halfW)
				}
				x += glyphW * (0.8 + 0.4*rng.Float64())
			}
			x += glyphW * 1.2
		}
	}

	// Seal: two rings and a star, in the lower right.
	cx, cy := 0.7*float64(w), 0.85*float64(h)
	r := 0.12 * float64(min(w, h))
	ring(seal, w, h, cx, cy, r, 5*scale)
	ring(seal, w, h, cx, cy, 0.8*r, 2*scale)
	for k := range 5 {
		a0 := float64(k)*4*math.Pi/5 - math.Pi/2
		a1 := float64(k+1)*4*math.Pi/5 - math.Pi/2
		stroke(seal, w, h, cx+0.6*r*math.Cos(a0), cy+0.6*r*math.Sin(a0),
			cx+0.6*r*math.Cos(a1), cy+0.6*r*math.Sin(a1), 2.5*scale)
	}

	img := image.NewRGBA(image.Rect(0, 0, w, h))
	paper := [3]float64{250, 248, 243}
	ink := [3]float64{35, 35, 45}
	red := [3]float64{205, 35, 45}
	for y := range h {
		for x := range w {
			t, s := float64(text[y*w+x]), float64(seal[y*w+x])
			s *= 0.75 + 0.25*rng.Float64()       // uneven stamp ink
			n := rng.NormFloat64() * noiseShared // sensor noise, shared by the channels
			p := img.Pix[img.PixOffset(x, y):]
			for c := range 3 {
				v := paper[c]*(1-t) + ink[c]*t
				v *= 1 - s + s*red[c]/255 // the seal's ink multiplies
				p[c] = clamp8(v + n + rng.NormFloat64()*noiseChan)
			}
			p[3] = 255
		}
	}
	return img
}

// stroke adds an anti-aliased line of half-width hw from (x0,y0) to
// (x1,y1) to the coverage map cov.
func stroke(cov []float32, w, h int, x0, y0, x1, y1, hw float64) {
	minX, maxX := int(math.Min(x0, x1)-hw-1), int(math.Max(x0, x1)+hw+2)
	minY, maxY := int(math.Min(y0, y1)-hw-1), int(math.Max(y0, y1)+hw+2)
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	for y := max(minY, 0); y < min(maxY, h); y++ {
		for x := max(minX, 0); x < min(maxX, w); x++ {
			px, py := float64(x)+0.5-x0, float64(y)+0.5-y0
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, (px*dx+py*dy)/l2))
			}
			ex, ey := px-t*dx, py-t*dy
			c := float32(math.Max(0, math.Min(1, hw+0.5-math.Sqrt(ex*ex+ey*ey))))
			cov[y*w+x] = max(cov[y*w+x], c)
		}
	}
}

// ring adds an anti-aliased circle of radius r and half-width hw.
func ring(cov []float32, w, h int, cx, cy, r, hw float64) {
	for y := max(int(cy-r-hw-1), 0); y < min(int(cy+r+hw+2), h); y++ {
		for x := max(int(cx-r-hw-1), 0); x < min(int(cx+r+hw+2), w); x++ {
			d := math.Abs(math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy) - r)
			c := float32(math.Max(0, math.Min(1, hw+0.5-d)))
			cov[y*w+x] = max(cov[y*w+x], c)
		}
	}
}

// photo returns a w x h photograph-like image: colour gradients, a
// textured disc, fine stripes and noise.
func photo(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 9))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/float64(max(w, 1)), float64(y)/float64(max(h, 1))
			r := 40 + 180*fx
			g := 60 + 150*fy
			b := 200 - 120*fx*fy
			if d := math.Hypot(fx-0.6, fy-0.4); d < 0.3 {
				t := 60 * math.Sin(float64(x)*0.7) * math.Cos(float64(y)*0.5)
				r, g, b = r+t, g-t/2, b+t/3
			}
			if fx < 0.3 {
				s := 50 * math.Sin(float64(x+2*y)*1.9)
				r, g, b = r+s, g+s, b+s
			}
			p := img.Pix[img.PixOffset(x, y):]
			p[0] = clamp8(r + rng.NormFloat64()*4)
			p[1] = clamp8(g + rng.NormFloat64()*4)
			p[2] = clamp8(b + rng.NormFloat64()*4)
			p[3] = 255
		}
	}
	return img
}

func clamp8(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, math.Round(v))))
}

// toYCbCr converts with color.RGBToYCbCr; each chroma sample is the
// rounded mean of the per-pixel Cb and Cr of the pixels it covers.
func toYCbCr(m *image.RGBA, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	r := m.Rect
	out := image.NewYCbCr(r, ratio)
	cb := make([]int, len(out.Cb))
	cr := make([]int, len(out.Cr))
	n := make([]int, len(out.Cb))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := m.Pix[m.PixOffset(x, y):]
			yy, b, c := color.RGBToYCbCr(p[0], p[1], p[2])
			out.Y[out.YOffset(x, y)] = yy
			ci := out.COffset(x, y)
			cb[ci] += int(b)
			cr[ci] += int(c)
			n[ci]++
		}
	}
	for ci := range n {
		if n[ci] > 0 {
			out.Cb[ci] = uint8((cb[ci] + n[ci]/2) / n[ci])
			out.Cr[ci] = uint8((cr[ci] + n[ci]/2) / n[ci])
		}
	}
	return out
}

// imageKinds are the supported input types, made from an RGBA image.
var imageKinds = []struct {
	name string
	make func(*image.RGBA) image.Image
}{
	{"gray", func(m *image.RGBA) image.Image { return scantest.Gray(m) }},
	{"ycbcr444", func(m *image.RGBA) image.Image { return toYCbCr(m, image.YCbCrSubsampleRatio444) }},
	{"ycbcr422", func(m *image.RGBA) image.Image { return toYCbCr(m, image.YCbCrSubsampleRatio422) }},
	{"ycbcr420", func(m *image.RGBA) image.Image { return toYCbCr(m, image.YCbCrSubsampleRatio420) }},
	{"ycbcr440", func(m *image.RGBA) image.Image { return toYCbCr(m, image.YCbCrSubsampleRatio440) }},
	{"rgba", func(m *image.RGBA) image.Image { return m }},
}

// rgbaOf returns img's pixels as RGBA, with image/draw's conversions
// (those of image/color: nearest chroma sample for YCbCr).
func rgbaOf(img image.Image) *image.RGBA {
	b := img.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, img, b.Min, draw.Src)
	return m
}

// psnr is the peak signal-to-noise ratio, in dB, of b against a over the
// R, G and B values of their pixels, compared from their Min corners.
// Identical images give +Inf.
func psnr(tb testing.TB, a, b image.Image) float64 {
	tb.Helper()
	if a.Bounds().Size() != b.Bounds().Size() {
		tb.Fatalf("psnr: sizes %v and %v differ", a.Bounds().Size(), b.Bounds().Size())
	}
	return psnrRGBA(rgbaOf(a), rgbaOf(b))
}

// psnrRGBA is psnr for two RGBA images of the same size at (0, 0).
func psnrRGBA(a, b *image.RGBA) float64 {
	var se float64
	for i := 0; i < len(a.Pix); i += 4 {
		for c := range 3 {
			d := float64(a.Pix[i+c]) - float64(b.Pix[i+c])
			se += d * d
		}
	}
	mse := se / float64(len(a.Pix)/4*3)
	return 10 * math.Log10(255*255/mse)
}

// maxDiff is the largest difference of an R, G or B value of two RGBA
// images of the same size at (0, 0).
func maxDiff(a, b *image.RGBA) int {
	d := 0
	for i := 0; i < len(a.Pix); i += 4 {
		for c := range 3 {
			d = max(d, abs(int(a.Pix[i+c])-int(b.Pix[i+c])))
		}
	}
	return d
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// mustEncode encodes with Encode.
func mustEncode(tb testing.TB, img image.Image, quality int) []byte {
	tb.Helper()
	data, err := Encode(img, quality)
	if err != nil {
		tb.Fatalf("Encode: %v", err)
	}
	return data
}

// decodeStd decodes with image/jpeg, checking the size.
func decodeStd(tb testing.TB, data []byte, want image.Point) image.Image {
	tb.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("image/jpeg decode: %v", err)
	}
	if got := img.Bounds().Size(); got != want {
		tb.Fatalf("decoded size %v, want %v", got, want)
	}
	return img
}

// newRand returns a seeded generator.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 11))
}
