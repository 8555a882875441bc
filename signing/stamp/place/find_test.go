package place

import (
	"image"
	"image/color"
	"strings"
	"testing"
)

// a4 is an A4 page at InkDPI with ink in the given rectangles (mm from the
// top-left: x0, y0, x1, y1).
func a4(rects ...[4]float64) *Ink {
	const pw, ph = 595.28, 841.89
	w, h := 826, 1169
	dark := make([]bool, w*h)
	for _, r := range rects {
		for y := cell(r[1]); y < cell(r[3]); y++ {
			for x := cell(r[0]); x < cell(r[2]); x++ {
				dark[y*w+x] = true
			}
		}
	}
	return FromBitmap(dark, w, h, pw, ph)
}

func cell(mm float64) int { return int(mm / 25.4 * InkDPI) }

// decree30 is a permit laid out as Decree 30/2020 shows: agency and number
// top-left, the motto top-right, from top mm; the title; the body.
func decree30(top float64) *Ink {
	return a4([4]float64{35, top, 95, top + 5}, [4]float64{45, top + 8, 85, top + 12}, // agency, Số: …
		[4]float64{105, top, 195, top + 5}, [4]float64{120, top + 7, 180, top + 11}, // motto
		[4]float64{125, top + 16, 190, top + 20}, // place and date
		[4]float64{70, top + 30, 140, top + 36},  // title
		[4]float64{30, top + 45, 195, 270})       // body
}

func signatureBlocks() []Block {
	return []Block{
		{Name: "clerk", W: 250, H: 33, MinScale: 0.7, Corner: TopLeft},
		{Name: "agency", W: 260, H: 45.5, MinScale: 0.7, Corner: TopRight},
	}
}

// checkClear fails when a placement comes within ClearMM of ink, leaves the
// page's EdgeMM margin, or meets another placement.
func checkClear(t *testing.T, in *Ink, ps []Placement) {
	t.Helper()
	for i, p := range ps {
		top := in.PageH - p.Y - p.H
		if n := in.inkIn(p.X-pt(ClearMM)+0.5, top-pt(ClearMM)+0.5, p.W+2*pt(ClearMM)-1, p.H+2*pt(ClearMM)-1); n > 0 {
			t.Errorf("%s lies within %g mm of %d ink cells", p, ClearMM, n)
		}
		if p.X < pt(EdgeMM)-0.01 || top < pt(EdgeMM)-0.01 || p.X+p.W > in.PageW-pt(EdgeMM)+0.01 || p.Y < pt(EdgeMM)-0.01 {
			t.Errorf("%s is within %g mm of the page's edge", p, EdgeMM)
		}
		for _, q := range ps[:i] {
			if p.X < q.X+q.W && q.X < p.X+p.W && p.Y < q.Y+q.H && q.Y < p.Y+p.H {
				t.Errorf("%s overlaps %s", p, q)
			}
		}
	}
}

// TestHeaderFrom18mm: with the header from 18 mm, both signatures fit the
// top margin above it, in their corners, at a legible size.
func TestHeaderFrom18mm(t *testing.T) {
	in := decree30(18)
	ps := Find(in, signatureBlocks())
	checkClear(t, in, ps)
	for _, p := range ps {
		if p.Where != InCorner || p.Scale < 0.7 || in.PageH-p.Y > pt(18) {
			t.Errorf("%s: want in its corner above the header, at least 70%%", p)
		}
	}
	if ps[0].X > pt(10) || ps[1].X+ps[1].W < in.PageW-pt(10) {
		t.Errorf("clerk %s, agency %s: want them at the left and right edges", ps[0], ps[1])
	}
}

// TestHeaderFrom15to25mm: wherever the header starts, no block touches ink
// and none shrinks below its minimum.
func TestHeaderFrom15to25mm(t *testing.T) {
	for top := 15.0; top <= 25; top += 2.5 {
		in := decree30(top)
		ps := Find(in, append(signatureBlocks(), Block{Name: "qr", W: 60, H: 70, MinScale: 0.85, Corner: TopLeft, ClearMM: 2}))
		checkClear(t, in, ps)
		for _, p := range ps {
			if p.Where == OverInk || p.Scale < 0.7-1e-9 {
				t.Errorf("header from %g mm: %s", top, p)
			}
		}
	}
}

// TestFullSize: a block that never shrinks keeps its size and goes to the
// nearest blank place when its corner is full.
func TestFullSize(t *testing.T) {
	in := decree30(15)
	ps := Find(in, []Block{{Name: "form", W: 200, H: 45, Corner: TopRight}})
	checkClear(t, in, ps)
	if p := ps[0]; p.Scale != 1 || p.W != 200 || p.Where == InCorner {
		t.Errorf("%s: want full size, out of the full corner", p)
	}
}

// TestNoBlankPlace: on a page of ink the block still gets a place, near its
// corner, marked OverInk.
func TestNoBlankPlace(t *testing.T) {
	in := a4([4]float64{0, 0, 210, 297})
	p := Find(in, signatureBlocks()[:1])[0]
	if p.Where != OverInk || p.X > pt(10) || !strings.Contains(p.String(), "over ink") {
		t.Errorf("%s: want over ink, top-left", p)
	}
}

// TestInkOf: a 300-dpi scan with a thin pale line and JPEG-like noise
// becomes a 100-dpi map with the line and without the noise.
func TestInkOf(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range img.Pix {
		img.Pix[i] = byte(240 + i%7) // paper and noise
	}
	for x := 300; x < 2000; x++ {
		img.SetGray(x, 900, color.Gray{120}) // a 1-pixel pale line
	}
	in := InkOf(img, 595.28, 841.89)
	if in.W != 826 || in.H != 1169 {
		t.Fatalf("map of %d×%d cells, want 826×1169", in.W, in.H)
	}
	if n := in.count(0, 0, in.W, in.H); n < 500 || n > 600 {
		t.Errorf("%d dark cells, want the line's ~566", n)
	}
	if n := in.count(0, 0, in.W, 290); n != 0 {
		t.Errorf("%d dark cells above the line, want 0 (noise is not ink)", n)
	}

}
