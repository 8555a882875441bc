package scan

import (
	"image"
	"math"
)

// Analysis works on a gray copy near this resolution: fine enough to
// measure skew to a few hundredths of a degree, small enough to take a
// few milliseconds.
const analysisDPI = 100

// analysis is what the downsampled copy of a page shows.
type analysis struct {
	blank bool
	skew  float64 // degrees, counter-clockwise positive
}

// analyse downsamples img to about analysisDPI, then measures its ink and
// skew. Pages smaller than an inch at that resolution are not measured.
func analyse(img image.Image, d density, opt Options) analysis {
	dpi := math.Max(d.x, d.y)
	if dpi == 0 {
		dpi = DefaultMinDPI
	}
	k := max(1, int(math.Round(dpi/analysisDPI)))
	t := thumbnail(img, k)
	if t.w < analysisDPI || t.h < analysisDPI {
		return analysis{}
	}
	ink := t.inkPoints()
	area := float64(t.w * t.h)
	if float64(len(ink)/2) < opt.BlankInk*area {
		return analysis{blank: true}
	}
	return analysis{skew: measureSkew(ink, t.w, opt.MaxSkew)}
}

// thumb is a gray image stored as one byte a pixel.
type thumb struct {
	pix  []byte
	w, h int
}

// thumbnail averages k×k blocks of the page's luma (or gray) samples.
func thumbnail(img image.Image, k int) thumb {
	var plane []byte
	var stride int
	b := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		plane, stride = m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride
	case *image.YCbCr:
		plane, stride = m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride
	default:
		g := toGray(img)
		plane, stride = g.Pix, g.Stride
	}
	t := thumb{w: b.Dx() / k, h: b.Dy() / k}
	t.pix = make([]byte, t.w*t.h)
	sums := make([]uint32, t.w)
	for ty := range t.h {
		clear(sums)
		for r := range k {
			addRow(sums, plane[(ty*k+r)*stride:][:t.w*k], k)
		}
		for tx, s := range sums {
			t.pix[ty*t.w+tx] = byte(s / uint32(k*k))
		}
	}
	return t
}

// addRow adds each run of k samples of row to its entry of sums; row
// holds len(sums)*k samples. 200 and 300 dpi, the usual resolutions, take
// the unrolled cases.
func addRow(sums []uint32, row []byte, k int) {
	switch k {
	case 2:
		row = row[:2*len(sums)]
		for tx := range sums {
			sums[tx] += uint32(row[2*tx]) + uint32(row[2*tx+1])
		}
	case 3:
		row = row[:3*len(sums)]
		for tx := range sums {
			sums[tx] += uint32(row[3*tx]) + uint32(row[3*tx+1]) + uint32(row[3*tx+2])
		}
	default:
		for tx := range sums {
			s := uint32(0)
			for _, v := range row[tx*k : tx*k+k] {
				s += uint32(v)
			}
			sums[tx] += s
		}
	}
}

// inkPoints returns the x, y pairs of the dark pixels inside the margins
// (a twentieth of each side, where scanner edges and punch holes are).
// Dark is below 60% of the paper's brightness, the level three quarters
// of the pixels reach.
func (t thumb) inkPoints() []int32 {
	var hist [256]int
	for _, v := range t.pix {
		hist[v]++
	}
	paper, n := 255, 0
	for v := 255; v >= 0; v-- {
		if n += hist[v]; n >= len(t.pix)/4 {
			paper = v
			break
		}
	}
	limit := byte(paper * 6 / 10)
	mx, my := t.w/20, t.h/20
	var pts []int32
	for y := my; y < t.h-my; y++ {
		row := t.pix[y*t.w : (y+1)*t.w]
		for x := mx; x < t.w-mx; x++ {
			if row[x] < limit {
				pts = append(pts, int32(x), int32(y))
			}
		}
	}
	return pts
}
