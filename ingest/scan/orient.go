package scan

import (
	"image"
	"image/draw"
)

// orientation values from EXIF tag 0x0112 that need pixels moved.
const (
	orientNormal     = 1
	orientFlipH      = 2
	orientRotate180  = 3
	orientFlipV      = 4
	orientTranspose  = 5
	orientRotateCW   = 6
	orientTransverse = 7
	orientRotateCCW  = 8
)

// swapsAxes reports whether orientation o turns the image by 90°.
func swapsAxes(o int) bool { return o >= orientTranspose && o <= orientRotateCCW }

// orient returns img turned upright according to EXIF orientation o
// (2..8): an *image.Gray when img is gray, an *image.RGBA otherwise.
func orient(img image.Image, o int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if swapsAxes(o) {
		dw, dh = h, w
	}
	if g, ok := img.(*image.Gray); ok {
		dst := image.NewGray(image.Rect(0, 0, dw, dh))
		movePixels(dst.Pix, g.Pix[g.PixOffset(b.Min.X, b.Min.Y):], g.Stride, 1, w, h, o)
		return dst
	}
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(src, src.Rect, img, b.Min, draw.Src)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	movePixels(dst.Pix, src.Pix, src.Stride, 4, w, h, o)
	return dst
}

// movePixels fills dst (tightly packed, bpp 1 or 4 bytes a pixel) from the
// w×h source src with the given stride, so that dst is src transformed by
// orientation o.
func movePixels(dst, src []byte, stride, bpp, w, h, o int) {
	dw, dh := w, h
	if swapsAxes(o) {
		dw, dh = h, w
	}
	for dy := range dh {
		row := dst[dy*dw*bpp : (dy+1)*dw*bpp]
		for dx := range dw {
			sx, sy := sourceOf(o, dx, dy, w, h)
			s, d := sy*stride+sx*bpp, dx*bpp
			if bpp == 1 {
				row[d] = src[s]
				continue
			}
			px := src[s : s+4 : s+4]
			row[d], row[d+1], row[d+2], row[d+3] = px[0], px[1], px[2], px[3]
		}
	}
}

// sourceOf maps destination pixel (x, y) to its source pixel in a w×h
// image displayed with EXIF orientation o.
func sourceOf(o, x, y, w, h int) (int, int) {
	switch o {
	case orientFlipH:
		return w - 1 - x, y
	case orientRotate180:
		return w - 1 - x, h - 1 - y
	case orientFlipV:
		return x, h - 1 - y
	case orientTranspose:
		return y, x
	case orientRotateCW:
		return y, h - 1 - x
	case orientTransverse:
		return w - 1 - y, h - 1 - x
	case orientRotateCCW:
		return w - 1 - y, x
	}
	return x, y
}
