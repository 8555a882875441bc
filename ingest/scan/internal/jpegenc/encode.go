package jpegenc

import (
	"errors"
	"fmt"
	"image"
)

// ErrUnsupported is returned, wrapped, for an image Encode does not take:
// a type other than *image.Gray, *image.YCbCr and *image.RGBA, or a
// *image.YCbCr with a subsampling other than 4:4:4, 4:2:2, 4:2:0 and
// 4:4:0. Callers fall back to image/jpeg.
var ErrUnsupported = errors.New("unsupported image")

// lumaSampling are the luma sampling factors (H, V) for each subsampling
// Encode takes; chroma is sampled 1x1.
var lumaSampling = map[image.YCbCrSubsampleRatio][2]int{
	image.YCbCrSubsampleRatio444: {1, 1},
	image.YCbCrSubsampleRatio422: {2, 1},
	image.YCbCrSubsampleRatio420: {2, 2},
	image.YCbCrSubsampleRatio440: {1, 2},
}

// maxSize is the largest width and height a JPEG frame header can state.
const maxSize = 1<<16 - 1

// component is one colour component of the frame and its samples for the
// MCU row being transformed.
type component struct {
	id     byte
	h, v   int    // sampling factors
	tq     int    // quantisation and Huffman tables: 0 luma, 1 chroma
	width  int    // width in samples, ceil(image width * h / hmax)
	height int    // height in samples, ceil(image height * v / vmax)
	stride int    // strip row length: the MCU row's width in samples
	strip  []byte // 8*v rows of stride samples, edges repeated
	src    *plane // where the samples come from, unless the image is RGBA
}

// encoder holds one image's encoding state.
type encoder struct {
	width, height int
	ncomp         int
	comp          [3]component
	mcux, mcuy    int // MCUs across and down
	nblocks       int // blocks in the scan, those of partial MCUs included
	quant         [2][64]byte
	div           [2][64]float32
	rgba          rgba
	fill          func(my int) // fills the strips of MCU row my

	// vals holds the quantised coefficients that are not 0, and every DC
	// coefficient, block after block in scan order and in zigzag order
	// within a block; mask[i] marks the non-zero coefficients of block i.
	vals  []int16
	nvals int // the values in use; vals has room for 64 more
	mask  []uint64
	freq  [2]freqs
	dc    [2]*huffTable
	ac    [2]*huffTable
	ntabs int // table pairs in use: 1 for gray, else 2
}

// Encode writes img as a baseline JPEG at quality (1..100, the same scaling
// and the same base quantisation tables as image/jpeg, so quality q here
// means what it means to image/jpeg; values outside are clamped as
// image/jpeg clamps them), with Huffman tables optimised for this image.
// No APP0/JFIF segment is written (the caller inserts one after SOI).
//
// img must be a *image.Gray, which gives a one-component JPEG, a
// *image.YCbCr with 4:4:4, 4:2:2, 4:2:0 or 4:4:0 subsampling, written with
// the same subsampling, or a *image.RGBA, converted to YCbCr 4:2:0 (its
// alpha is ignored, as image/jpeg ignores it). Anything else gives an
// error wrapping ErrUnsupported.
func Encode(img image.Image, quality int) ([]byte, error) {
	e, err := newEncoder(img, clampQuality(quality))
	if err != nil {
		return nil, err
	}
	e.transform()
	return e.write(), nil
}

// newEncoder lays out the frame for img and allocates its buffers.
func newEncoder(img image.Image, quality int) (*encoder, error) {
	switch m := img.(type) {
	case *image.Gray, *image.RGBA:
	case *image.YCbCr:
		if _, ok := lumaSampling[m.SubsampleRatio]; !ok {
			return nil, fmt.Errorf("jpegenc: YCbCr subsampling %v: %w", m.SubsampleRatio, ErrUnsupported)
		}
	default:
		return nil, fmt.Errorf("jpegenc: image type %T: %w", img, ErrUnsupported)
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 || w > maxSize || h > maxSize {
		return nil, fmt.Errorf("jpegenc: image size %dx%d is not in 1..%d", w, h, maxSize)
	}
	e := &encoder{width: w, height: h}
	var err error
	switch m := img.(type) {
	case *image.Gray:
		e.ncomp = 1
		e.comp[0] = component{id: 1, h: 1, v: 1}
		e.comp[0].src, err = newPlane(m.Pix, m.Stride, b.Min.X, b.Min.Y, w, h, 1, 1)
		if err != nil {
			return nil, fmt.Errorf("jpegenc: gray: %w", err)
		}
		e.fill = e.fillPlanes
	case *image.YCbCr:
		hy, vy := lumaSampling[m.SubsampleRatio][0], lumaSampling[m.SubsampleRatio][1]
		e.setYCbCr(hy, vy)
		e.comp[0].src, err = newPlane(m.Y, m.YStride, b.Min.X, b.Min.Y, w, h, 1, 1)
		if err != nil {
			return nil, fmt.Errorf("jpegenc: Y: %w", err)
		}
		for ci, pix := range [][]byte{m.Cb, m.Cr} {
			e.comp[1+ci].src, err = newPlane(pix, m.CStride, b.Min.X, b.Min.Y, w, h, hy, vy)
			if err != nil {
				return nil, fmt.Errorf("jpegenc: chroma: %w", err)
			}
		}
		e.fill = e.fillPlanes
	case *image.RGBA:
		if m.Stride < 0 || len(m.Pix) < (h-1)*m.Stride+4*w {
			return nil, fmt.Errorf("jpegenc: RGBA of %d bytes with stride %d is too small for %dx%d", len(m.Pix), m.Stride, w, h)
		}
		e.setYCbCr(2, 2)
		e.rgba = rgba{pix: m.Pix, stride: m.Stride, w: w, h: h}
		e.fill = e.fillRGBA
	}

	hmax, vmax := e.comp[0].h, e.comp[0].v // luma has the largest factors
	e.mcux = (w + 8*hmax - 1) / (8 * hmax)
	e.mcuy = (h + 8*vmax - 1) / (8 * vmax)
	blocksPerMCU := 0
	for ci := range e.ncomp {
		c := &e.comp[ci]
		c.width = (w*c.h + hmax - 1) / hmax
		c.height = (h*c.v + vmax - 1) / vmax
		c.stride = e.mcux * 8 * c.h
		c.strip = make([]byte, 8*c.v*c.stride)
		blocksPerMCU += c.h * c.v
	}
	e.nblocks = e.mcux * e.mcuy * blocksPerMCU
	// Room for 16 values a block to start with, enough for most pages;
	// transform grows it as needed.
	e.vals = make([]int16, 16*e.nblocks+64)
	e.mask = make([]uint64, e.nblocks)

	e.quant = scaleQuant(quality)
	e.ntabs = min(e.ncomp, 2)
	for t := range e.ntabs {
		e.div[t] = divisors(&e.quant[t])
	}
	return e, nil
}

// setYCbCr sets up three components, luma sampled hy x vy.
func (e *encoder) setYCbCr(hy, vy int) {
	e.ncomp = 3
	e.comp[0] = component{id: 1, h: hy, v: vy, tq: 0}
	e.comp[1] = component{id: 2, h: 1, v: 1, tq: 1}
	e.comp[2] = component{id: 3, h: 1, v: 1, tq: 1}
}

// transform is the first pass: it transforms and quantises every block in
// scan order, keeps the coefficients and counts the Huffman symbols.
func (e *encoder) transform() {
	blk := 0
	var prev [3]int32 // DC predictions, per component
	var out [128]byte // the block being transformed
	for my := range e.mcuy {
		e.fill(my)
		for mx := range e.mcux {
			for ci := range e.ncomp {
				c := &e.comp[ci]
				div, f := &e.div[c.tq], &e.freq[c.tq]
				for by := range c.v {
					row := c.strip[by*8*c.stride:]
					for bx := range c.h {
						m := fdctQuant(row[(mx*c.h+bx)*8:], c.stride, div, &out)
						if e.nvals > len(e.vals)-64 {
							e.growVals()
						}
						e.nvals += countBlock(f, &out, m, &prev[ci], (*[64]int16)(e.vals[e.nvals:]))
						e.mask[blk] = m
						blk++
					}
				}
			}
		}
	}
}

// growVals doubles the room for coefficients.
func (e *encoder) growVals() {
	v := make([]int16, 2*len(e.vals)+64)
	copy(v, e.vals[:e.nvals])
	e.vals = v
}

// write is the second pass: it builds the Huffman tables and returns the
// JPEG.
func (e *encoder) write() []byte {
	for t := range e.ntabs {
		e.dc[t] = newHuffTable(e.freq[t].dc[:])
		ac := e.freq[t].acTotal()
		e.ac[t] = newHuffTable(ac[:])
	}
	buf := make([]byte, 0, 1024+e.scanBytes())
	buf = e.appendHeaders(buf)
	buf = e.appendScan(buf)
	return append(buf, 0xff, markerEOI)
}
