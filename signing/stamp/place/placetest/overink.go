package placetest

import "image"

// Levels that tell ink and stamps apart in gray renders.
const (
	inkLevel    = 160 // darker than this in the original is ink
	changeLevel = 64  // a pixel that moved by more than this was stamped
)

// Overlap is what StampOverInk found.
type Overlap struct {
	Changed int         // pixels the stamps changed
	OverInk int         // of those, the ones on or next to the original's ink
	First   image.Point // the first of them, in pixels from the top-left
}

// StampOverInk compares page 1 before and after stamping, both gray at the
// same resolution (the part they share, should their sizes differ by a
// rounding pixel): a pixel that changed by more than 64 levels within
// radius pixels of the original's ink is a stamp over ink, whether the
// stamp darkened the paper next to a stroke or whitened the stroke.
func StampOverInk(before, after *image.Gray, radius int) Overlap {
	w := min(before.Rect.Dx(), after.Rect.Dx())
	h := min(before.Rect.Dy(), after.Rect.Dy())
	// sum is the summed-area table of the original's ink.
	sum := make([]int32, (w+1)*(h+1))
	for y := range h {
		var row int32
		for x := range w {
			if before.Pix[y*before.Stride+x] < inkLevel {
				row++
			}
			sum[(y+1)*(w+1)+x+1] = sum[y*(w+1)+x+1] + row
		}
	}
	inkNear := func(x, y int) bool {
		x0, y0, x1, y1 := max(0, x-radius), max(0, y-radius), min(w, x+radius+1), min(h, y+radius+1)
		return sum[y1*(w+1)+x1]-sum[y0*(w+1)+x1]-sum[y1*(w+1)+x0]+sum[y0*(w+1)+x0] > 0
	}
	var o Overlap
	for y := range h {
		for x := range w {
			b, a := int(before.Pix[y*before.Stride+x]), int(after.Pix[y*after.Stride+x])
			if a-b <= changeLevel && b-a <= changeLevel {
				continue
			}
			o.Changed++
			if inkNear(x, y) {
				if o.OverInk == 0 {
					o.First = image.Pt(x, y)
				}
				o.OverInk++
			}
		}
	}
	return o
}
