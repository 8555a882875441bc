package scan

import "image"

// shrink averages k×k blocks of img (an *image.Gray, *image.YCbCr or
// *image.RGBA at the origin), dropping the last partial block of each
// axis.
func shrink(img image.Image, k int) image.Image {
	b := img.Bounds()
	dw, dh := max(1, b.Dx()/k), max(1, b.Dy()/k)
	switch m := img.(type) {
	case *image.Gray:
		dst := image.NewGray(image.Rect(0, 0, dw, dh))
		shrinkPlane(plane{dst.Pix, dst.Stride, dw, dh}, plane{m.Pix, m.Stride, b.Dx(), b.Dy()}, 1, k)
		return dst
	case *image.YCbCr:
		dst := image.NewYCbCr(image.Rect(0, 0, dw, dh), m.SubsampleRatio)
		shrinkPlane(plane{dst.Y, dst.YStride, dw, dh}, plane{m.Y, m.YStride, b.Dx(), b.Dy()}, 1, k)
		cw, ch := chromaSize(m)
		dcw, dch := chromaSize(dst)
		shrinkPlane(plane{dst.Cb, dst.CStride, dcw, dch}, plane{m.Cb, m.CStride, cw, ch}, 1, k)
		shrinkPlane(plane{dst.Cr, dst.CStride, dcw, dch}, plane{m.Cr, m.CStride, cw, ch}, 1, k)
		return dst
	}
	m := img.(*image.RGBA)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	shrinkPlane(plane{dst.Pix, dst.Stride, dw, dh}, plane{m.Pix, m.Stride, b.Dx(), b.Dy()}, 4, k)
	return dst
}

// shrinkPlane fills each dst pixel with the mean of its k×k source block,
// clamping blocks at the source's edges. The blocks wholly inside a row
// are summed by addRow, the rest pixel by pixel.
func shrinkPlane(dst, src plane, bpp, k int) {
	sums := make([]uint32, dst.w*bpp)
	full := min(dst.w, src.w/k) // pixels whose block lies inside the row
	for y := range dst.h {
		clear(sums)
		n := uint32(0)
		for r := range k {
			sy := min(y*k+r, src.h-1)
			row := src.pix[sy*src.stride:]
			if bpp == 1 {
				addRow(sums[:full], row[:full*k], k)
			} else {
				addRowN(sums[:full*bpp], row[:full*k*bpp], bpp, k)
			}
			for x := full; x < dst.w; x++ {
				for dx := range k {
					sx := min(x*k+dx, src.w-1)
					for c := range bpp {
						sums[x*bpp+c] += uint32(row[sx*bpp+c])
					}
				}
			}
			n += uint32(k)
		}
		out := dst.pix[y*dst.stride:]
		for i, s := range sums {
			out[i] = byte((s + n/2) / n)
		}
	}
}

// addRowN is addRow for pixels of bpp bytes: each run of k pixels of row
// is added, channel by channel, to its bpp entries of sums.
func addRowN(sums []uint32, row []byte, bpp, k int) {
	for x := 0; x < len(sums); x += bpp {
		block := row[x*k : (x+bpp)*k]
		for i, v := range block {
			sums[x+i%bpp] += uint32(v)
		}
	}
}
