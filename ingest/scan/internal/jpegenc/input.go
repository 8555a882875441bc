package jpegenc

import "fmt"

// plane is where a component's samples come from in a *image.Gray or
// *image.YCbCr: a Go plane whose sample for the pixel at relative position
// (x, y) of the image is pix[rowOf(y)*stride+colOf(x)], rowOf(p) being
// (min+p)/s - min/s for the plane's subsampling s as image.YCbCr computes
// it.
type plane struct {
	pix        []byte
	stride     int
	minX, minY int // the image's Bounds().Min
	sx, sy     int // image pixels per component sample, across and down
	h          int // the image's height in pixels
	// Component sample i covers the pixels whose samples are the plane's
	// colA[i] and colB[i] (the same column unless the plane is offset).
	colA, colB []int32
	aligned    bool // colA[i] == colB[i] == i: rows copy as they are
}

// newPlane describes a plane covering the image of size w x h at (minX,
// minY) with sx x sy pixels per sample, checking that pix holds all the
// samples the component needs.
func newPlane(pix []byte, stride, minX, minY, w, h, sx, sy int) (*plane, error) {
	p := &plane{pix: pix, stride: stride, minX: minX, minY: minY, sx: sx, sy: sy, h: h}
	cw := (w + sx - 1) / sx
	p.colA = make([]int32, cw)
	p.colB = make([]int32, cw)
	p.aligned = true
	for i := range cw {
		a := idx(minX, sx, i*sx)
		b := idx(minX, sx, min(i*sx+sx-1, w-1))
		p.colA[i], p.colB[i] = int32(a), int32(b)
		if a != i || b != i {
			p.aligned = false
		}
	}
	lastRow := idx(minY, sy, h-1)
	need := lastRow*stride + int(p.colB[cw-1]) + 1
	if stride < 0 || len(pix) < need {
		return nil, fmt.Errorf("plane of %d bytes with stride %d is too small for %dx%d", len(pix), stride, w, h)
	}
	return p, nil
}

// idx is the index, from the plane's first, of the sample that covers
// relative pixel p along an axis starting at min with s pixels per sample.
func idx(min, s, p int) int {
	return (min+p)/s - min/s
}

// row writes component row y (in component samples) to dst, len(dst)
// being the component's width: each sample is the rounded mean of the
// plane samples of the pixels it covers, which for an aligned plane is a
// copy of the plane sample.
func (p *plane) row(dst []byte, y int) {
	ya := idx(p.minY, p.sy, y*p.sy) * p.stride
	yb := idx(p.minY, p.sy, min(y*p.sy+p.sy-1, p.h-1)) * p.stride
	if p.aligned && ya == yb {
		copy(dst, p.pix[ya:ya+len(dst)])
		return
	}
	ra, rb := p.pix[ya:], p.pix[yb:]
	for i := range dst {
		a, b := p.colA[i], p.colB[i]
		dst[i] = byte((int(ra[a]) + int(ra[b]) + int(rb[a]) + int(rb[b]) + 2) >> 2)
	}
}

// replicate fills dst[n:] with dst[n-1], the last real sample of a row.
func replicate(dst []byte, n int) {
	v := dst[n-1]
	for i := n; i < len(dst); i++ {
		dst[i] = v
	}
}

// fillPlanes fills every component's strip for MCU row my from planes.
func (e *encoder) fillPlanes(my int) {
	for ci := range e.ncomp {
		c := &e.comp[ci]
		for r := range 8 * c.v {
			y := min(my*8*c.v+r, c.height-1)
			dst := c.strip[r*c.stride : (r+1)*c.stride]
			c.src.row(dst[:c.width], y)
			replicate(dst, c.width)
		}
	}
}

// rgba is a *image.RGBA source: its pixels, row stride and size.
type rgba struct {
	pix    []byte
	stride int
	w, h   int
}

// fillRGBA fills the strips of MCU row my (16 image rows) from an RGBA
// image: Y for every pixel and Cb, Cr for every 2x2 pixels, with the
// BT.601 full-range formulas of color.RGBToYCbCr. A chroma sample is
// computed from the sums of the four pixels' R, G and B, which is the
// mean of their unrounded Cb and Cr. Past the right and bottom edges,
// each component repeats its last column and row.
func (e *encoder) fillRGBA(my int) {
	src := e.rgba
	yc, cb, cr := &e.comp[0], &e.comp[1], &e.comp[2]
	w, cw := src.w, cb.width
	for j := range 8 {
		r0 := min(my*16+2*j, src.h-1)
		r1 := min(my*16+2*j+1, src.h-1)
		p0 := src.pix[r0*src.stride : r0*src.stride+4*w]
		p1 := src.pix[r1*src.stride : r1*src.stride+4*w]
		y0 := yc.strip[2*j*yc.stride : (2*j+1)*yc.stride]
		y1 := yc.strip[(2*j+1)*yc.stride : (2*j+2)*yc.stride]
		cbRow := cb.strip[j*cb.stride : (j+1)*cb.stride]
		crRow := cr.strip[j*cr.stride : (j+1)*cr.stride]
		if my*8+j >= cb.height {
			// Below the last chroma row, which is repeated; luma
			// repeats the last pixel row.
			copy(cbRow, cb.strip[(j-1)*cb.stride:j*cb.stride])
			copy(crRow, cr.strip[(j-1)*cr.stride:j*cr.stride])
			copy(y0, yc.strip[(2*j-1)*yc.stride:2*j*yc.stride])
			copy(y1, y0)
			continue
		}
		// Whole pairs of columns, then the last column of an odd width,
		// paired with itself.
		for i := range w / 2 {
			a := p0[8*i : 8*i+8 : 8*i+8]
			c := p1[8*i : 8*i+8 : 8*i+8]
			u := y0[2*i : 2*i+2 : 2*i+2]
			v := y1[2*i : 2*i+2 : 2*i+2]
			u[0], u[1] = luma(a[0], a[1], a[2]), luma(a[4], a[5], a[6])
			v[0], v[1] = luma(c[0], c[1], c[2]), luma(c[4], c[5], c[6])
			rs := int32(a[0]) + int32(a[4]) + int32(c[0]) + int32(c[4])
			gs := int32(a[1]) + int32(a[5]) + int32(c[1]) + int32(c[5])
			bs := int32(a[2]) + int32(a[6]) + int32(c[2]) + int32(c[6])
			cbRow[i], crRow[i] = chroma(rs, gs, bs)
		}
		if w%2 == 1 {
			i := w / 2
			a, c := p0[8*i:8*i+3], p1[8*i:8*i+3]
			y0[2*i], y1[2*i] = luma(a[0], a[1], a[2]), luma(c[0], c[1], c[2])
			rs := 2 * (int32(a[0]) + int32(c[0]))
			gs := 2 * (int32(a[1]) + int32(c[1]))
			bs := 2 * (int32(a[2]) + int32(c[2]))
			cbRow[i], crRow[i] = chroma(rs, gs, bs)
		}
		replicate(y0, w)
		replicate(y1, w)
		replicate(cbRow, cw)
		replicate(crRow, cw)
	}
}

// chroma is the Cb and Cr of color.RGBToYCbCr for the sums of the R, G
// and B of four pixels: the mean of the four pixels' unrounded values,
// rounded.
func chroma(rs, gs, bs int32) (cb, cr byte) {
	cb = byte(min((-11056*rs-21712*gs+32768*bs+4*(257<<15))>>18, 255))
	cr = byte(min((32768*rs-27440*gs-5328*bs+4*(257<<15))>>18, 255))
	return cb, cr
}

// luma is the Y of color.RGBToYCbCr.
func luma(r, g, b byte) byte {
	return byte((19595*int32(r) + 38470*int32(g) + 7471*int32(b) + 1<<15) >> 16)
}
