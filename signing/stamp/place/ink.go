package place

import (
	"image"
	"image/color"
	"math"
)

// InkDPI is the resolution of the ink map InkOf makes.
const InkDPI = 100

// Ink says where page 1 is dark, on a grid of cells over the page.
type Ink struct {
	// W and H are the grid's size in cells; row 0 is the top of the page.
	W, H int
	// PageW and PageH are the page's size in points.
	PageW, PageH float64
	// sum is the summed-area table of dark cells, (W+1)×(H+1).
	sum []uint32
}

// FromBitmap returns the ink map of a w×h bitmap, dark[y*w+x] true where
// the page is dark, covering a page of pageW × pageH points.
func FromBitmap(dark []bool, w, h int, pageW, pageH float64) *Ink {
	in := &Ink{W: w, H: h, PageW: pageW, PageH: pageH, sum: make([]uint32, (w+1)*(h+1))}
	for y := range h {
		var row uint32
		for x := range w {
			if dark[y*w+x] {
				row++
			}
			in.sum[(y+1)*(w+1)+x+1] = in.sum[y*(w+1)+x+1] + row
		}
	}
	return in
}

// InkOf returns the ink map of img, the scan of a page of pageW × pageH
// points: img averaged down to about InkDPI, a cell dark when its mean is
// below 80% of the paper's brightness (the level a quarter of the cells
// reach; pale stamps, fine hatching) or one of its pixels below 60% (a
// stroke one pixel thin), which drops JPEG noise and paper tone.
func InkOf(img image.Image, pageW, pageH float64) *Ink {
	b := img.Bounds()
	k := 1
	if pageW > 0 {
		k = max(1, int(math.Round(float64(b.Dx())/(pageW/72*InkDPI))))
	}
	w, h := max(1, b.Dx()/k), max(1, b.Dy()/k)
	mean, darkest := make([]byte, w*h), make([]byte, w*h)
	luma := lumaFunc(img)
	sums, mins := make([]uint32, w), make([]byte, w)
	for ty := range h {
		clear(sums)
		for tx := range mins {
			mins[tx] = 255
		}
		for r := range k {
			y := b.Min.Y + min(ty*k+r, b.Dy()-1)
			for tx := range w {
				for c := range k {
					v := luma(b.Min.X+min(tx*k+c, b.Dx()-1), y)
					sums[tx] += uint32(v)
					mins[tx] = min(mins[tx], v)
				}
			}
		}
		for tx, s := range sums {
			mean[ty*w+tx], darkest[ty*w+tx] = byte(s/uint32(k*k)), mins[tx]
		}
	}
	paper := paperLevel(mean)
	dark := make([]bool, len(mean))
	for i := range mean {
		dark[i] = int(mean[i]) < paper*8/10 || int(darkest[i]) < paper*6/10
	}
	return FromBitmap(dark, w, h, pageW, pageH)
}

// lumaFunc returns a fast reader of img's gray level at x, y.
func lumaFunc(img image.Image) func(x, y int) byte {
	switch m := img.(type) {
	case *image.Gray:
		return func(x, y int) byte { return m.Pix[m.PixOffset(x, y)] }
	case *image.YCbCr:
		return func(x, y int) byte { return m.Y[m.YOffset(x, y)] }
	}
	return func(x, y int) byte { return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y }
}

// paperLevel returns the brightness a quarter of the cells reach.
func paperLevel(gray []byte) int {
	var hist [256]int
	for _, v := range gray {
		hist[v]++
	}
	n := 0
	for v := 255; v >= 0; v-- {
		if n += hist[v]; n >= len(gray)/4 {
			return v
		}
	}
	return 255
}

// count returns the dark cells in columns [x0, x1) and rows [y0, y1),
// clamped to the grid.
func (in *Ink) count(x0, y0, x1, y1 int) int {
	x0, y0 = max(0, x0), max(0, y0)
	x1, y1 = min(in.W, x1), min(in.H, y1)
	if x0 >= x1 || y0 >= y1 {
		return 0
	}
	s, w := in.sum, in.W+1
	return int(s[y1*w+x1] - s[y0*w+x1] - s[y1*w+x0] + s[y0*w+x0])
}

// inkIn returns the dark cells under r, a rectangle in points measured
// from the page's top-left corner (x right, y down).
func (in *Ink) inkIn(x, y, w, h float64) int {
	cw, ch := in.PageW/float64(in.W), in.PageH/float64(in.H)
	return in.count(int(math.Floor(x/cw)), int(math.Floor(y/ch)), int(math.Ceil((x+w)/cw)), int(math.Ceil((y+h)/ch)))
}
