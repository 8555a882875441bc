package scan

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"

	"golang.org/x/image/tiff"
)

// source describes one TIFF page from its IFD, checking its size first.
// A single-strip G4 page keeps its data (bits reversed for FillOrder 2);
// a JPEG page becomes a standalone JPEG; anything else is decoded by
// golang.org/x/image/tiff reading this IFD as if it were the first.
func (d *ifd) source(opt Options) (*source, error) {
	w, h := d.int(tagImageWidth, 0), d.int(tagImageLength, 0)
	if err := opt.checkSize(TIFF, w, h); err != nil {
		return nil, err
	}
	comp, photo := d.int(tagCompression, compNone), d.int(tagPhotometric, 0)
	bps, spp := d.int(tagBitsPerSample, 1), d.int(tagSamplesPerPx, 1)
	segs, err := d.segments()
	if err != nil {
		return nil, err
	}
	src := &source{w: w, h: h, dpi: d.resolution(), color: tiffColor(photo, bps, spp),
		bilevel: bps == 1 && spp == 1, orientation: d.int(tagTIFFOrient, 1), decode: d.decode}
	switch comp {
	case compOldJPEG:
		return nil, errNotImage(TIFF, "ảnh nén JPEG kiểu cũ (nén 6) không được hỗ trợ",
			"old-style JPEG compression (6) is not supported", nil)
	case compJPEG:
		return d.jpegSource(src, segs, opt)
	case compG4:
		if len(segs) == 1 && src.bilevel {
			src.format, src.data, src.blackIs1 = G4, segs[0], photo == photoBlackZero
			if d.int(tagFillOrder, 1) == 2 {
				src.data = reverseBits(segs[0])
			}
		}
	}
	return src, nil
}

// tiffColor names a TIFF page's colour model.
func tiffColor(photo, bps, spp int) string {
	switch {
	case bps == 1 && spp == 1:
		return ColorBilevel
	case photo <= photoBlackZero:
		return ColorGray
	case photo == 3:
		return ColorPalette
	case photo == 5:
		return ColorCMYK
	}
	return ColorRGB
}

// reverseBits returns b with the bits of each byte reversed.
func reverseBits(b []byte) []byte {
	out := make([]byte, len(b))
	for i, v := range b {
		v = v>>4 | v<<4
		v = (v&0xcc)>>2 | (v&0x33)<<2
		out[i] = (v&0xaa)>>1 | (v&0x55)<<1
	}
	return out
}

// decode decodes this page with golang.org/x/image/tiff. That package
// reads the colours of CCITT runs as they are coded whatever the
// photometric tag says; a BlackIsZero G3 or G4 page is inverted after, so
// that its pixels show what the PDF shows (/BlackIs1 true), as libtiff
// reads it.
func (d *ifd) decode() (image.Image, error) {
	img, err := d.decodeTIFF()
	if err != nil {
		return nil, err
	}
	if c := d.int(tagCompression, compNone); (c == compG3 || c == compG4) && d.int(tagPhotometric, 0) == photoBlackZero {
		if g, ok := img.(*image.Gray); ok {
			for i := range g.Pix {
				g.Pix[i] = 255 - g.Pix[i]
			}
		}
	}
	return img, nil
}

// decodeTIFF decodes this page with golang.org/x/image/tiff, classifying
// its errors.
func (d *ifd) decodeTIFF() (image.Image, error) {
	img, err := tiff.Decode(&ifdReader{b: d.t.b, head: d.header()})
	if err != nil {
		var ue tiff.UnsupportedError
		cause := fmt.Errorf("scan: decode tiff: %w", err)
		if errors.As(err, &ue) {
			return nil, errNotImage(TIFF, "kiểu mã hoá ảnh này không được hỗ trợ ("+string(ue)+")",
				"this image encoding is not supported ("+string(ue)+")", cause)
		}
		return nil, errCorrupt(TIFF, cause)
	}
	return img, nil
}

// header returns a TIFF header whose first IFD is this one.
func (d *ifd) header() [tiffHeaderSize]byte {
	var h [tiffHeaderSize]byte
	copy(h[:4], d.t.b[:4])
	d.t.order.PutUint32(h[4:], uint32(d.off))
	return h
}

// ifdReader is the file with its header replaced, so that any IFD reads as
// the first without copying the file.
type ifdReader struct {
	b    []byte
	head [tiffHeaderSize]byte
	pos  int64
}

// ReadAt implements io.ReaderAt.
func (r *ifdReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(r.b)) {
		return 0, io.EOF
	}
	n := copy(p, r.b[off:])
	for i := off; i < tiffHeaderSize && i-off < int64(n); i++ {
		p[i-off] = r.head[i]
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Read implements io.Reader.
func (r *ifdReader) Read(p []byte) (int, error) {
	n, err := r.ReadAt(p, r.pos)
	r.pos += int64(n)
	return n, err
}

// jpegSource turns a JPEG-compressed TIFF page into a JPEG: one strip
// with the shared tables (JPEGTables) is a standalone JPEG kept as it is;
// several strips are decoded one by one into one image.
func (d *ifd) jpegSource(src *source, segs [][]byte, opt Options) (*source, error) {
	tables := d.bytes(tagJPEGTables)
	if len(segs) == 1 {
		j, err := jpegSource(joinJPEG(tables, segs[0]), opt)
		if err != nil {
			return nil, err
		}
		j.dpi, j.orientation = src.dpi, src.orientation
		return j, nil
	}
	src.decode = func() (image.Image, error) { return decodeStrips(tables, segs, src.w, src.h) }
	return src, nil
}

// joinJPEG inserts the tables' segments (between their SOI and EOI) after
// the strip's SOI.
func joinJPEG(tables, strip []byte) []byte {
	if len(tables) < 4 || len(strip) < 2 {
		return strip
	}
	out := make([]byte, 0, len(tables)+len(strip))
	out = append(out, strip[:2]...)
	out = append(out, tables[2:len(tables)-2]...)
	return append(out, strip[2:]...)
}

// decodeStrips decodes each strip as a JPEG and stacks them.
func decodeStrips(tables []byte, segs [][]byte, w, h int) (image.Image, error) {
	var dst draw.Image
	y := 0
	for i, s := range segs {
		img, err := decodeWith(JPEG, joinJPEG(tables, s))
		if err != nil {
			return nil, fmt.Errorf("strip %d: %w", i, err)
		}
		if dst == nil {
			dst = newLike(img, w, h)
		}
		b := img.Bounds()
		draw.Draw(dst, image.Rect(0, y, w, y+b.Dy()), img, b.Min, draw.Src)
		y += b.Dy()
	}
	return dst, nil
}

// newLike returns an empty w×h gray image for a gray img, else RGBA.
func newLike(img image.Image, w, h int) draw.Image {
	if _, ok := img.(*image.Gray); ok {
		return image.NewGray(image.Rect(0, 0, w, h))
	}
	return image.NewRGBA(image.Rect(0, 0, w, h))
}
