package scan

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/khoso-vn/khoso/ingest/scan/internal/g4"
)

// process decodes one page to prove it intact, measures it, and changes
// its pixels only when orientation, skew or resolution require it: then
// it rotates and resamples in one pass and encodes once. Its thumbnail and
// preview are made from the final pixels.
func process(src *source, opt Options) (*Page, error) {
	img, err := src.decode()
	if err != nil {
		return nil, err
	}
	if b := img.Bounds(); b.Dx() != src.w || b.Dy() != src.h {
		return nil, errCorrupt(src.kind(), fmt.Errorf("scan: decoded %dx%d pixels, header says %dx%d", b.Dx(), b.Dy(), src.w, src.h))
	}
	d, confirmed := src.dpi, false
	if opt.ConfirmedDPI > 0 && (d.zero() || math.Min(d.x, d.y) < opt.MinDPI-0.5) {
		d, confirmed = density{opt.ConfirmedDPI, opt.ConfirmedDPI}, true
	}
	changed := false
	if src.orientation > orientNormal {
		img, changed = orient(img, src.orientation), true
		if swapsAxes(src.orientation) {
			d = d.swap()
		}
	}
	p := &Page{Format: src.format, Data: src.data, ColorModel: src.color, BlackIs1: src.blackIs1}
	if !src.scanned.IsZero() {
		p.ScannedAt, p.ScannedFrom = src.scanned, src.scannedFrom
	}
	p.Flags = dpiFlags(d, opt)
	p.Flags.DPIConfirmed = confirmed
	a := analyse(img, d, opt)
	p.Flags.Blank, p.Flags.Skew = a.blank, a.skew
	angle := 0.0
	if opt.DeskewThreshold >= 0 && !a.blank && math.Abs(a.skew) >= opt.DeskewThreshold {
		angle = -a.skew
	}
	scale := 1.0
	if opt.MaxDPI > 0 && !d.zero() && math.Max(d.x, d.y) > opt.MaxDPI*1.01 {
		scale = opt.MaxDPI / math.Max(d.x, d.y)
	}
	if angle != 0 || scale != 1 {
		img = warp(flatten(img, src.bilevel), angle, scale)
		d = density{d.x * scale, d.y * scale}
		changed = true
		p.Flags.Deskewed, p.Flags.Resampled = -angle, scale != 1
	}
	if changed || src.data == nil {
		if err := p.encode(img, src, d, opt); err != nil {
			return nil, err
		}
		p.Reencoded = true
	}
	if p.Thumb, p.Preview, err = views(img, src.bilevel, opt); err != nil {
		return nil, err
	}
	b := img.Bounds()
	p.Width, p.Height, p.DPIX, p.DPIY = b.Dx(), b.Dy(), d.x, d.y
	return p, nil
}

// kind is the format named in a corrupt-page message.
func (s *source) kind() Format {
	if s.format == "" {
		return TIFF
	}
	return s.format
}

// dpiFlags flags a missing or low resolution.
func dpiFlags(d density, opt Options) Flags {
	if d.zero() {
		return Flags{NoDPI: true}
	}
	return Flags{LowDPI: math.Min(d.x, d.y) < opt.MinDPI-0.5}
}

// encode encodes img once: 1-bit pages as G4, the others as JPEG at the
// source's estimated quality, gray staying one-component gray.
func (p *Page) encode(img image.Image, src *source, d density, opt Options) error {
	if src.bilevel {
		g := toGray(img)
		data, err := g4.Encode(g.Pix, g.Stride, g.Rect.Dx(), g.Rect.Dy())
		if err != nil {
			return fmt.Errorf("scan: encode G4: %w", err)
		}
		p.Format, p.Data, p.BlackIs1, p.ColorModel = G4, data, false, ColorBilevel
		return nil
	}
	q := src.quality
	if q == 0 {
		q = opt.JPEGQuality
	}
	data, err := encodeJPEG(flatten(img, false), d, q)
	if err != nil {
		return err
	}
	p.Format, p.Data = JPEG, data
	return nil
}

// flatten returns img as one of the three layouts warp and the encoders
// handle: *image.Gray (gray and bilevel pages), *image.YCbCr (as decoded
// from a JPEG) or *image.RGBA, alpha laid over white.
func flatten(img image.Image, bilevel bool) image.Image {
	switch m := img.(type) {
	case *image.Gray, *image.YCbCr, *image.RGBA:
		if m.Bounds().Min == (image.Point{}) {
			return m
		}
	}
	if bilevel || isGrayModel(img.ColorModel()) {
		return toGray(img)
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Over)
	return dst
}

// isGrayModel reports whether a colour model holds only grays.
func isGrayModel(m color.Model) bool {
	if m == color.GrayModel || m == color.Gray16Model {
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

// toGray returns img as 8-bit gray at origin, alpha laid over white.
func toGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok && g.Rect.Min == (image.Point{}) {
		return g
	}
	b := img.Bounds()
	dst := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if y, ok := img.(*image.YCbCr); ok {
		for r := range b.Dy() {
			copy(dst.Pix[r*dst.Stride:(r+1)*dst.Stride], y.Y[y.YOffset(b.Min.X, b.Min.Y+r):])
		}
		return dst
	}
	draw.Draw(dst, dst.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Over)
	return dst
}
