package scantest

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// A4PageAt returns a white A4 page at dpi with lines of text-like strokes
// and a red seal, like A4Page scaled; seed varies the words.
func A4PageAt(dpi int, seed uint64) *image.RGBA {
	s := float64(dpi) / 200
	sc := func(v int) int { return int(float64(v) * s) }
	img := image.NewRGBA(image.Rect(0, 0, sc(A4Width200), sc(A4Height200)))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	for y := 200; y < 1700; y += 40 {
		for x := 160; x < 1450; {
			word := 30 + rng.IntN(140)
			fill(img, image.Rect(sc(x), sc(y), sc(min(x+word, 1494)), sc(y+18)), Ink)
			x += word + 14
		}
	}
	ring(img, image.Pt(sc(1200), sc(1950)), sc(150), sc(12), Seal)
	ring(img, image.Pt(sc(1200), sc(1950)), sc(110), sc(4), Seal)
	return img
}

// Rotate returns img turned by deg degrees counter-clockwise as displayed,
// about its centre, same size, bilinear, uncovered corners white. It is
// written independently of package scan's rotation, to test it.
func Rotate(img image.Image, deg float64) *image.RGBA {
	b := img.Bounds()
	src, ok := img.(*image.RGBA)
	if !ok || b.Min != (image.Point{}) {
		src = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := range b.Dy() {
			for x := range b.Dx() {
				src.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
			}
		}
	}
	dst := image.NewRGBA(src.Rect)
	c, s := math.Cos(deg*math.Pi/180), math.Sin(deg*math.Pi/180)
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	for y := range b.Dy() {
		for x := range b.Dx() {
			u, v := float64(x)+0.5-cx, float64(y)+0.5-cy
			// Inverse of a counter-clockwise turn with y pointing down.
			sx, sy := cx+u*c-v*s-0.5, cy+u*s+v*c-0.5
			dst.SetRGBA(x, y, bilinear(src, sx, sy))
		}
	}
	return dst
}

func bilinear(m *image.RGBA, x, y float64) color.RGBA {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(x, y int) [4]float64 {
		if x < 0 || y < 0 || x >= m.Rect.Dx() || y >= m.Rect.Dy() {
			return [4]float64{255, 255, 255, 255}
		}
		p := m.Pix[m.PixOffset(x, y):]
		return [4]float64{float64(p[0]), float64(p[1]), float64(p[2]), float64(p[3])}
	}
	a, b2, c, d := at(x0, y0), at(x0+1, y0), at(x0, y0+1), at(x0+1, y0+1)
	var out [4]uint8
	for i := range out {
		v := a[i]*(1-fx)*(1-fy) + b2[i]*fx*(1-fy) + c[i]*(1-fx)*fy + d[i]*fx*fy
		out[i] = uint8(math.Round(v))
	}
	return color.RGBA{out[0], out[1], out[2], out[3]}
}
