package assemble

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
)

// PNG header facts.
const (
	pngColorTypeAt = 25 // offset of the IHDR colour type byte
	pngGray        = 0
	pngGrayAlpha   = 4
	filterUp       = 2 // PNG row filter: difference from the row above
)

// pngImage is a PNG decoded and written as 8-bit Flate samples with PNG
// Up predictors.
type pngImage struct {
	data []byte
	w, h int
	gray bool
}

func (p *pngImage) size() (int, int) { return p.w, p.h }

func (p *pngImage) colors() int {
	if p.gray {
		return 1
	}
	return 3
}

func (p *pngImage) dict() string {
	cs := "/DeviceRGB"
	if p.gray {
		cs = "/DeviceGray"
	}
	return fmt.Sprintf("/Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /FlateDecode "+
		"/DecodeParms << /Predictor 15 /Colors %d /BitsPerComponent 8 /Columns %d >>",
		p.w, p.h, cs, p.colors(), p.w)
}

// planPNG reads the PNG header; the pixels are decoded while writing.
func planPNG(data []byte) (*pngImage, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: PNG header: %w", ErrInvalidPage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("%w: PNG of %dx%d pixels", ErrInvalidPage, cfg.Width, cfg.Height)
	}
	return &pngImage{data: data, w: cfg.Width, h: cfg.Height, gray: isGrayPNG(data[pngColorTypeAt], cfg.ColorModel)}, nil
}

// isGrayPNG reports whether a PNG holds only grays: gray with or without
// alpha, or a palette whose entries are all gray.
func isGrayPNG(colorType byte, m color.Model) bool {
	if colorType == pngGray || colorType == pngGrayAlpha {
		return true
	}
	pal, ok := m.(color.Palette)
	if !ok {
		return false
	}
	for _, c := range pal {
		r, g, b, _ := c.RGBA()
		if r != g || g != b {
			return false
		}
	}
	return true
}

// writeData decodes the PNG and writes its rows, flattened on white and
// reduced to 8 bits, through zlib.
func (p *pngImage) writeData(w io.Writer) error {
	img, err := png.Decode(bytes.NewReader(p.data))
	if err != nil {
		return fmt.Errorf("%w: PNG data: %w", ErrInvalidPage, err)
	}
	zw := zlib.NewWriter(w)
	n := p.colors() * p.w
	row, prev, out := make([]byte, n), make([]byte, n), make([]byte, 1+n)
	out[0] = filterUp
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		fillRow(img, y, p.gray, row)
		for i := range row {
			out[1+i] = row[i] - prev[i]
		}
		if _, err := zw.Write(out); err != nil {
			return err
		}
		row, prev = prev, row
	}
	return zw.Close()
}

// fillRow writes row y of img to row as 8-bit gray or RGB samples, alpha
// flattened on white.
func fillRow(img image.Image, y int, gray bool, row []byte) {
	switch m := img.(type) {
	case *image.Gray:
		if gray {
			copy(row, m.Pix[m.PixOffset(m.Rect.Min.X, y):])
			return
		}
	case *image.RGBA:
		if !gray {
			rgbaRow(m.Pix[m.PixOffset(m.Rect.Min.X, y):], row)
			return
		}
	case *image.NRGBA:
		if !gray {
			nrgbaRow(m.Pix[m.PixOffset(m.Rect.Min.X, y):], row)
			return
		}
	}
	anyRow(img, y, gray, row)
}

// rgbaRow flattens premultiplied RGBA on white: c + (255 - a).
func rgbaRow(pix, row []byte) {
	for i, j := 0, 0; j < len(row); i, j = i+4, j+3 {
		bg := 255 - pix[i+3]
		row[j], row[j+1], row[j+2] = pix[i]+bg, pix[i+1]+bg, pix[i+2]+bg
	}
}

// nrgbaRow flattens straight-alpha RGBA on white: c·a + 255·(1 - a).
func nrgbaRow(pix, row []byte) {
	for i, j := 0, 0; j < len(row); i, j = i+4, j+3 {
		a := uint32(pix[i+3])
		bg := 255 * (255 - a)
		row[j] = byte((uint32(pix[i])*a + bg + 127) / 255)
		row[j+1] = byte((uint32(pix[i+1])*a + bg + 127) / 255)
		row[j+2] = byte((uint32(pix[i+2])*a + bg + 127) / 255)
	}
}

// anyRow handles every other image type (16-bit, palette, gray with
// alpha) through the premultiplied 16-bit colour of each pixel.
func anyRow(img image.Image, y int, gray bool, row []byte) {
	b := img.Bounds()
	for x, j := b.Min.X, 0; x < b.Max.X; x++ {
		r, g, bl, a := img.At(x, y).RGBA()
		bg := 0xffff - a
		if gray {
			row[j] = byte((r + bg) >> 8)
			j++
			continue
		}
		row[j], row[j+1], row[j+2] = byte((r+bg)>>8), byte((g+bg)>>8), byte((bl+bg)>>8)
		j += 3
	}
}
