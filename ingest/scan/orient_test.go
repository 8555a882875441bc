package scan_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// Quadrant colours of scantest.Quadrants, by initial.
var quadColours = map[byte]color.RGBA{
	'R': {255, 0, 0, 255}, 'G': {0, 255, 0, 255}, 'B': {0, 0, 255, 255}, 'W': {255, 255, 255, 255},
}

func TestNormaliseOrientation(t *testing.T) {
	t.Parallel()
	// quads lists the expected colours at top left, top right, bottom left
	// and bottom right of the upright page; the source is "RGBW".
	tests := []struct {
		orientation uint16
		order       binary.AppendByteOrder
		quads       string
		swapped     bool
	}{
		{2, binary.BigEndian, "GRWB", false},
		{3, binary.LittleEndian, "WBGR", false},
		{3, binary.BigEndian, "WBGR", false},
		{4, binary.BigEndian, "BWRG", false},
		{5, binary.LittleEndian, "RBGW", true},
		{6, binary.BigEndian, "BRWG", true},
		{6, binary.LittleEndian, "BRWG", true},
		{7, binary.BigEndian, "WGBR", true},
		{8, binary.LittleEndian, "GWRB", true},
	}
	for _, tt := range tests {
		t.Run(string(rune('0'+tt.orientation))+tt.order.String(), func(t *testing.T) {
			t.Parallel()
			in := scantest.WithJFIF(exifJPEG(t, scantest.Quadrants(64, 32),
				scantest.EXIF{Order: tt.order, Orientation: tt.orientation}), scantest.UnitsDPI, 300, 200)
			p, err := scan.Normalise(in, scan.Limits{})
			if err != nil {
				t.Fatalf("Normalise: %v", err)
			}
			w := want{scan.JPEG, 64, 32, 300, 200, scan.ColorRGB, true}
			if tt.swapped {
				w.w, w.h, w.dpiX, w.dpiY = 32, 64, 200, 300
			}
			check(t, in, p, w)
			checkQuadrants(t, p.Data, tt.quads)
		})
	}
}

// checkQuadrants decodes data and compares the centre of each quarter with
// the expected colour initials (top left, top right, bottom left, bottom
// right).
func checkQuadrants(tb testing.TB, data []byte, quads string) {
	tb.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("decode output: %v", err)
	}
	b := img.Bounds()
	pts := []image.Point{
		{b.Dx() / 4, b.Dy() / 4}, {3 * b.Dx() / 4, b.Dy() / 4},
		{b.Dx() / 4, 3 * b.Dy() / 4}, {3 * b.Dx() / 4, 3 * b.Dy() / 4},
	}
	for i, pt := range pts {
		if got := nearest(img.At(pt.X, pt.Y)); got != quads[i] {
			tb.Errorf("quadrant %d at %v is %c, want %c (layout %s)", i, pt, got, quads[i], quads)
		}
	}
}

// nearest returns the initial of the quadrant colour closest to c.
func nearest(c color.Color) byte {
	r, g, b, _ := c.RGBA()
	best, bestD := byte('?'), uint32(1<<32-1)
	for k, q := range quadColours {
		d := sq(r>>8, uint32(q.R)) + sq(g>>8, uint32(q.G)) + sq(b>>8, uint32(q.B))
		if d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func sq(a, b uint32) uint32 {
	d := int(a) - int(b)
	return uint32(d * d)
}
