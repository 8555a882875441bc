// Package scantest makes scanned-page fixtures in code for the tests of
// package scan, package assemble and their callers: pages drawn like a
// permit, JPEG and PNG encodings, hand-written JFIF, EXIF and pHYs
// metadata, and headers that claim huge dimensions.
package scantest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"testing"
)

// A4 at 200 dpi, in pixels.
const (
	A4Width200  = 1654
	A4Height200 = 2339
)

// Ink colours of the drawn pages.
var (
	Ink  = color.RGBA{20, 20, 40, 255}
	Seal = color.RGBA{210, 25, 30, 255}
)

// A4Page returns a white A4 page at 200 dpi with lines of text-like strokes
// and a red circular seal at the bottom right. It is the same every call.
func A4Page() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, A4Width200, A4Height200))
	fill(img, img.Rect, color.RGBA{255, 255, 255, 255})
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 200; y < 1700; y += 40 {
		for x := 160; x < 1450; {
			word := 30 + rng.IntN(140)
			fill(img, image.Rect(x, y, min(x+word, 1494), y+18), Ink)
			x += word + 14
		}
	}
	ring(img, image.Pt(1200, 1950), 150, 12, Seal)
	ring(img, image.Pt(1200, 1950), 110, 4, Seal)
	return img
}

// Quadrants returns a w×h image whose quarters are red (top left), green
// (top right), blue (bottom left) and white (bottom right), for checking
// orientation after lossy encoding.
func Quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, image.Rect(0, 0, w/2, h/2), color.RGBA{255, 0, 0, 255})
	fill(img, image.Rect(w/2, 0, w, h/2), color.RGBA{0, 255, 0, 255})
	fill(img, image.Rect(0, h/2, w/2, h), color.RGBA{0, 0, 255, 255})
	fill(img, image.Rect(w/2, h/2, w, h), color.RGBA{255, 255, 255, 255})
	return img
}

// JPEG encodes img at the given quality. Go writes no JFIF segment: add one
// with WithJFIF.
func JPEG(tb testing.TB, img image.Image, quality int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		tb.Fatalf("scantest: encode jpeg: %v", err)
	}
	return buf.Bytes()
}

// PNG encodes img losslessly.
func PNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatalf("scantest: encode png: %v", err)
	}
	return buf.Bytes()
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// ring draws a circle outline of radius r and the given thickness.
func ring(img *image.RGBA, c image.Point, r, thick int, col color.RGBA) {
	for y := c.Y - r; y <= c.Y+r; y++ {
		for x := c.X - r; x <= c.X+r; x++ {
			d := math.Hypot(float64(x-c.X), float64(y-c.Y))
			if d <= float64(r) && d > float64(r-thick) {
				img.SetRGBA(x, y, col)
			}
		}
	}
}
