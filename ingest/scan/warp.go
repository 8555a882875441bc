package scan

import (
	"image"
	"math"
)

// warp rotates img by angle degrees (counter-clockwise as displayed)
// about its centre and scales it by scale (at most 1), in one bilinear
// pass over each plane; a scale of one half or less first averages whole
// blocks so that no detail aliases. The page keeps its physical size: the
// result measures the input's size times scale, corners uncovered by the
// rotation are white. img is an *image.Gray, *image.YCbCr or *image.RGBA
// at the origin, as flatten returns; the result has the same layout.
func warp(img image.Image, angle, scale float64) image.Image {
	if k := int(1 / scale); k >= 2 {
		img = shrink(img, k)
		scale *= float64(k)
	}
	if angle == 0 && math.Abs(scale-1) < 1e-9 {
		return img
	}
	b := img.Bounds()
	dw, dh := max(1, int(math.Round(float64(b.Dx())*scale))), max(1, int(math.Round(float64(b.Dy())*scale)))
	r := rotation{cos: math.Cos(angle * math.Pi / 180), sin: math.Sin(angle * math.Pi / 180)}
	return r.apply(img, dw, dh)
}

// apply maps img (laid out as warp takes it) through r onto a new dw×dh
// image of the same layout, each plane sampled bilinearly.
func (r rotation) apply(img image.Image, dw, dh int) image.Image {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		dst := image.NewGray(image.Rect(0, 0, dw, dh))
		r.plane(plane{dst.Pix, dst.Stride, dw, dh}, plane{m.Pix, m.Stride, b.Dx(), b.Dy()}, 1, []byte{255})
		return dst
	case *image.YCbCr:
		dst := image.NewYCbCr(image.Rect(0, 0, dw, dh), m.SubsampleRatio)
		cw, ch := chromaSize(m)
		r.plane(plane{dst.Y, dst.YStride, dw, dh}, plane{m.Y, m.YStride, b.Dx(), b.Dy()}, 1, []byte{255})
		dcw, dch := chromaSize(dst)
		r.plane(plane{dst.Cb, dst.CStride, dcw, dch}, plane{m.Cb, m.CStride, cw, ch}, 1, []byte{128})
		r.plane(plane{dst.Cr, dst.CStride, dcw, dch}, plane{m.Cr, m.CStride, cw, ch}, 1, []byte{128})
		return dst
	}
	m := img.(*image.RGBA)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	r.plane(plane{dst.Pix, dst.Stride, dw, dh}, plane{m.Pix, m.Stride, b.Dx(), b.Dy()}, 4, []byte{255, 255, 255, 255})
	return dst
}

// chromaSize is the size of the chroma planes of m.
func chromaSize(m *image.YCbCr) (int, int) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// plane is one channel set of an image: w×h pixels, bpp bytes each.
type plane struct {
	pix    []byte
	stride int
	w, h   int
}

// rotation maps destination pixels back to source pixels; the scale is
// the ratio of the planes' sizes.
type rotation struct{ cos, sin float64 }

// fixed-point precision of source coordinates.
const fracBits = 16

// plane fills dst from src: each destination pixel centre is mapped back
// through the inverse rotation and scale about the planes' centres and
// sampled bilinearly; outside src it takes fill.
func (r rotation) plane(dst, src plane, bpp int, fill []byte) {
	cdx, cdy := float64(dst.w)/2, float64(dst.h)/2
	csx, csy := float64(src.w)/2, float64(src.h)/2
	sx := float64(src.w) / float64(dst.w) // per-plane scale
	sy := float64(src.h) / float64(dst.h)
	one := float64(int64(1) << fracBits)
	stepX, stepY := int64(r.cos*sx*one), int64(r.sin*sx*one)
	for y := range dst.h {
		v := (float64(y) + 0.5 - cdy) * sy
		u := (0.5 - cdx) * sx
		fx := int64((csx + u*r.cos - v*r.sin - 0.5) * one)
		fy := int64((csy + u*r.sin + v*r.cos - 0.5) * one)
		row := dst.pix[y*dst.stride : y*dst.stride+dst.w*bpp]
		if bpp == 1 {
			sampleRow1(row, src, fx, fy, stepX, stepY, fill[0])
			continue
		}
		sampleRowN(row, src, bpp, fx, fy, stepX, stepY, fill)
	}
}

// sampleRow1 fills a row of one-byte pixels. The pixels whose four
// neighbours all lie inside src form one run (a line crosses a rectangle
// once); that run is sampled without per-pixel checks, the ends by
// sampleEdge1.
func sampleRow1(row []byte, src plane, fx, fy, stepX, stepY int64, fill byte) {
	lo, hi := insideRun(len(row), src, fx, fy, stepX, stepY)
	sampleEdge1(row[:lo], src, fx, fy, stepX, stepY, fill)
	if hi > lo {
		sampleInside1(row[lo:hi], src, fx+int64(lo)*stepX, fy+int64(lo)*stepY, stepX, stepY)
	}
	sampleEdge1(row[hi:], src, fx+int64(hi)*stepX, fy+int64(hi)*stepY, stepX, stepY, fill)
}

// inside reports whether the source pixel at fixed-point (fx, fy) has its
// right and lower neighbours in src.
func inside(src plane, fx, fy int64) bool {
	return uint64(fx>>fracBits) < uint64(src.w-1) && uint64(fy>>fracBits) < uint64(src.h-1)
}

// insideRun returns the run [lo, hi) of the n pixels from (fx, fy) by
// (stepX, stepY) that are inside src; lo == hi when there is none.
func insideRun(n int, src plane, fx, fy, stepX, stepY int64) (lo, hi int) {
	at := func(i int) bool { return inside(src, fx+int64(i)*stepX, fy+int64(i)*stepY) }
	// Estimate the run from the line's crossings of the borders, then
	// correct it by testing the pixels themselves.
	flo, fhi := 0.0, float64(n)
	clip := func(start, step int64, limit int) {
		end := float64(int64(limit) << fracBits)
		switch {
		case step == 0:
			if start < 0 || start >= int64(limit)<<fracBits {
				flo, fhi = 0, 0
			}
		case step > 0:
			flo = math.Max(flo, float64(-start)/float64(step))
			fhi = math.Min(fhi, (end-float64(start))/float64(step))
		default:
			flo = math.Max(flo, (end-float64(start))/float64(step))
			fhi = math.Min(fhi, float64(-start)/float64(step))
		}
	}
	clip(fx, stepX, src.w-1)
	clip(fy, stepY, src.h-1)
	// The estimate is off by rounding only, a pixel at most, so the loops
	// below make the run exact: every pixel outside it is outside src.
	lo = max(0, min(n, int(math.Ceil(flo))))
	hi = max(lo, min(n, int(math.Floor(fhi))+1))
	for lo < hi && !at(lo) {
		lo++
	}
	for lo > 0 && at(lo-1) {
		lo--
	}
	for hi > lo && !at(hi-1) {
		hi--
	}
	for hi < n && at(hi) {
		hi++
	}
	return lo, hi
}

// sampleInside1 fills row from pixels known to be inside src. A small
// rotation keeps a run of destination pixels between the same two source
// rows; each run is sampled from those two rows alone.
func sampleInside1(row []byte, src plane, fx, fy, stepX, stepY int64) {
	for i := 0; i < len(row); {
		iy := int(fy >> fracBits)
		n := len(row) - i
		switch {
		case stepY > 0: // until fy reaches the next row
			n = min(n, int((int64(iy+1)<<fracBits-fy+stepY-1)/stepY))
		case stepY < 0: // while fy stays at or above this row
			n = min(n, int((fy-int64(iy)<<fracBits)/-stepY)+1)
		}
		top := src.pix[iy*src.stride:][:src.w]
		bot := src.pix[(iy+1)*src.stride:][:src.w]
		sampleRows(row[i:i+n], top, bot, fx, fy, stepX, stepY)
		i += n
		fx += int64(n) * stepX
		fy += int64(n) * stepY
	}
}

// sampleRows fills row blending, for each pixel, two neighbours in top and
// the same two in bot: the bilinear sample of sampleEdge1, in integers.
func sampleRows(row, top, bot []byte, fx, fy, stepX, stepY int64) {
	for i := range row {
		ix := int(fx >> fracBits)
		wx, wy := int32(fx>>8)&0xff, int32(fy>>8)&0xff
		t0, t1 := int32(top[ix]), int32(top[ix+1])
		b0, b1 := int32(bot[ix]), int32(bot[ix+1])
		t := t0<<8 + (t1-t0)*wx
		b := b0<<8 + (b1-b0)*wx
		row[i] = byte((t<<8 + (b-t)*wy + 1<<15) >> 16)
		fx += stepX
		fy += stepY
	}
}

// sampleEdge1 fills row with pixels outside the run insideRun finds,
// whose neighbours are not all in src: the nearest pixel within half a
// pixel of the border, or fill.
func sampleEdge1(row []byte, src plane, fx, fy, stepX, stepY int64, fill byte) {
	for i := range row {
		row[i] = edge(src, 1, 0, fx, fy, fill)
		fx += stepX
		fy += stepY
	}
}

// sampleRowN fills a row of bpp-byte pixels, channel by channel.
func sampleRowN(row []byte, src plane, bpp int, fx, fy, stepX, stepY int64, fill []byte) {
	const mask = 1<<fracBits - 1
	for i := 0; i < len(row); i += bpp {
		ix, iy := int(fx>>fracBits), int(fy>>fracBits)
		if uint(ix) < uint(src.w-1) && uint(iy) < uint(src.h-1) {
			wx, wy := uint32(fx&mask)>>8, uint32(fy&mask)>>8
			o := iy*src.stride + ix*bpp
			p := src.pix[o : o+src.stride+2*bpp]
			for c := range bpp {
				top := uint32(p[c])*(256-wx) + uint32(p[bpp+c])*wx
				bot := uint32(p[src.stride+c])*(256-wx) + uint32(p[src.stride+bpp+c])*wx
				row[i+c] = byte((top*(256-wy) + bot*wy + 1<<15) >> 16)
			}
		} else {
			for c := range bpp {
				row[i+c] = edge(src, bpp, c, fx, fy, fill[c])
			}
		}
		fx += stepX
		fy += stepY
	}
}

// edge samples the nearest pixel within half a pixel of the border, or
// returns fill further out.
func edge(src plane, bpp, c int, fx, fy int64, fill byte) byte {
	const half = 1 << (fracBits - 1)
	x, y := int((fx+half)>>fracBits), int((fy+half)>>fracBits)
	if fx < -half || fy < -half || x >= src.w || y >= src.h {
		return fill
	}
	return src.pix[y*src.stride+x*bpp+c]
}
