package jpegenc

import (
	"fmt"
	"image"
	"image/color"
	"testing"
)

// TestFillStrips checks the samples the first pass transforms against
// values computed from the image's own accessors: every component sample
// of every MCU row, including those past the edges, which repeat the last
// column and row.
func TestFillStrips(t *testing.T) {
	t.Parallel()
	for _, k := range imageKinds {
		full := k.make(photo(61, 47, 10))
		imgs := map[string]image.Image{"whole": full}
		for name, sub := range subImages(full) {
			imgs[name] = sub
		}
		for name, img := range imgs {
			t.Run(k.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				e, err := newEncoder(img, 75)
				if err != nil {
					t.Fatal(err)
				}
				for my := range e.mcuy {
					e.fill(my)
					for ci := range e.ncomp {
						c := &e.comp[ci]
						for r := range 8 * c.v {
							for x := range c.stride {
								got := c.strip[r*c.stride+x]
								y := my*8*c.v + r
								want, tol := wantSample(e, img, ci, min(x, c.width-1), min(y, c.height-1))
								if d := abs(int(got) - want); d > tol {
									t.Fatalf("component %d sample (%d, %d): got %d, want %d", ci, x, y, got, want)
								}
							}
						}
					}
				}
			})
		}
	}
}

// wantSample is component ci's sample (x, y) of img, which e encodes, and
// how far the encoder's may be from it: the mean of the component's value
// at the pixels the sample covers, computed with the image's At and
// image/color.
func wantSample(e *encoder, img image.Image, ci, x, y int) (int, int) {
	c := &e.comp[ci]
	sx, sy := e.comp[0].h/c.h, e.comp[0].v/c.v
	b := img.Bounds()
	sum, n := 0, 0
	for py := y * sy; py < (y+1)*sy; py++ {
		for px := x * sx; px < (x+1)*sx; px++ {
			p := image.Pt(b.Min.X+min(px, b.Dx()-1), b.Min.Y+min(py, b.Dy()-1))
			var v [3]uint8
			switch m := img.(type) {
			case *image.Gray:
				v[0] = m.GrayAt(p.X, p.Y).Y
			case *image.YCbCr:
				cc := m.YCbCrAt(p.X, p.Y)
				v = [3]uint8{cc.Y, cc.Cb, cc.Cr}
			case *image.RGBA:
				cc := m.RGBAAt(p.X, p.Y)
				v[0], v[1], v[2] = color.RGBToYCbCr(cc.R, cc.G, cc.B)
			default:
				panic(fmt.Sprintf("%T", img))
			}
			sum += int(v[ci])
			n++
		}
	}
	want := (sum + n/2) / n
	tol := 0
	if _, ok := img.(*image.RGBA); ok && ci > 0 {
		tol = 1 // the mean of unrounded chroma, not of rounded values
	}
	return want, tol
}
