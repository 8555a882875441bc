package scan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
)

// DefaultMaxPixels is the Limits.MaxPixels used when the field is zero:
// an A0 sheet at 300 dpi is about 140 million pixels, A3 at 600 dpi about
// 70 million.
const DefaultMaxPixels = 120_000_000

// JPEGQuality is the quality of a JPEG re-encoded after orientation.
const JPEGQuality = 90

// Values of Page.ColorModel.
const (
	ColorGray      = "gray"       // JPEG or PNG gray
	ColorRGB       = "rgb"        // JPEG YCbCr or RGB, PNG truecolour
	ColorCMYK      = "cmyk"       // JPEG with four components
	ColorPalette   = "palette"    // PNG indexed colour
	ColorGrayAlpha = "gray+alpha" // PNG gray with alpha
	ColorRGBA      = "rgba"       // PNG truecolour with alpha
	ColorUnknown   = "unknown"
)

// Limits bounds what Normalise accepts.
type Limits struct {
	// MaxPixels is the largest width*height accepted, checked from the
	// header before decoding. Default DefaultMaxPixels (120_000_000).
	MaxPixels int64
}

// withDefaults returns l with zero fields set to their defaults.
func (l Limits) withDefaults() (Limits, error) {
	if l.MaxPixels < 0 {
		return l, fmt.Errorf("scan: Limits.MaxPixels is %d, must not be negative", l.MaxPixels)
	}
	if l.MaxPixels == 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	return l, nil
}

// Page is one normalised page image.
type Page struct {
	Format        Format  // format of Data
	Data          []byte  // encoded page: the original bytes when pixels did not change, else re-encoded
	Width, Height int     // pixels, after orientation
	DPIX, DPIY    float64 // resolution in dots per inch; 0 when the file declares none
	ColorModel    string  // one of the Color constants, describing the source image
	Reencoded     bool    // Data differs from the input (orientation applied)
}

// Normalise checks one scanned page image and turns it upright. See the
// package documentation for what it reads and changes. A refusal is an
// *Error wrapping ErrUnsupported, ErrTooLarge or ErrCorrupt; an invalid
// lim is reported as a plain error naming the field.
func Normalise(data []byte, lim Limits) (*Page, error) {
	lim, err := lim.withDefaults()
	if err != nil {
		return nil, err
	}
	f, err := detect(data)
	if err != nil {
		return nil, err
	}
	if f == PNG {
		return normalisePNG(data, lim)
	}
	return normaliseJPEG(data, lim)
}

// checkSize refuses w×h over the limit. It runs on the dimensions this
// package parses itself (the JPEG SOF, the PNG IHDR), so that a header
// claiming huge dimensions is refused even when the decoder would stop
// earlier, then again on what the decoder's header reader says.
func (l Limits) checkSize(w, h int) error {
	if int64(w)*int64(h) > l.MaxPixels {
		return errTooLarge(w, h, l.MaxPixels)
	}
	return nil
}

// checkHeader applies the limit to the parsed header dimensions, then reads
// the header with the standard decoder and applies it again.
func (l Limits) checkHeader(f Format, data []byte, w, h int) error {
	if err := l.checkSize(w, h); err != nil {
		return err
	}
	cfg, err := decodeConfig(f, data)
	if err != nil {
		return err
	}
	return l.checkSize(cfg.Width, cfg.Height)
}

// decodeConfig reads the image header and classifies its errors.
func decodeConfig(f Format, data []byte) (image.Config, error) {
	var cfg image.Config
	var err error
	if f == PNG {
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	} else {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return cfg, classify(f, "read header", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return cfg, errCorrupt(f, fmt.Errorf("scan: read header: dimensions %dx%d", cfg.Width, cfg.Height))
	}
	return cfg, nil
}

// classify turns a decoder error into an *Error: unsupported variants
// apart from corrupt data.
func classify(f Format, op string, err error) error {
	cause := fmt.Errorf("scan: %s %s: %w", op, f, err)
	var ju jpeg.UnsupportedError
	var pu png.UnsupportedError
	if errors.As(err, &ju) || errors.As(err, &pu) {
		return errUnsupportedVariant(f, cause)
	}
	return errCorrupt(f, cause)
}

// normalisePNG decodes the whole PNG to prove it intact and keeps its bytes.
func normalisePNG(data []byte, lim Limits) (*Page, error) {
	m := readPNGMeta(data)
	if err := lim.checkHeader(PNG, data, m.w, m.h); err != nil {
		return nil, err
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, classify(PNG, "decode", err)
	}
	b := img.Bounds()
	return &Page{
		Format: PNG, Data: data,
		Width: b.Dx(), Height: b.Dy(),
		DPIX: m.density.x, DPIY: m.density.y,
		ColorModel: pngColorModel(m.colorType),
	}, nil
}

// normaliseJPEG decodes the whole JPEG to prove it intact, then applies its
// EXIF orientation if any.
func normaliseJPEG(data []byte, lim Limits) (*Page, error) {
	m := readJPEGMeta(data)
	if err := lim.checkHeader(JPEG, data, m.w, m.h); err != nil {
		return nil, err
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, classify(JPEG, "decode", err)
	}
	d := m.jfif
	if d.zero() {
		d = m.exif
	}
	if d.zero() {
		d = density{}
	}
	p := &Page{Format: JPEG, Data: data, ColorModel: jpegColorModel(img)}
	if m.orientation > orientNormal {
		img = orient(img, m.orientation)
		if swapsAxes(m.orientation) {
			d = d.swap()
		}
		if p.Data, err = encodeJPEG(img, d); err != nil {
			return nil, err
		}
		p.Reencoded = true
	}
	b := img.Bounds()
	p.Width, p.Height, p.DPIX, p.DPIY = b.Dx(), b.Dy(), d.x, d.y
	return p, nil
}

// jpegColorModel names the colour model of a decoded JPEG.
func jpegColorModel(img image.Image) string {
	switch img.(type) {
	case *image.Gray:
		return ColorGray
	case *image.YCbCr, *image.RGBA:
		return ColorRGB
	case *image.CMYK:
		return ColorCMYK
	}
	return ColorUnknown
}

// encodeJPEG encodes img (an *image.Gray or *image.RGBA from orient) at
// JPEGQuality and inserts a JFIF APP0 segment stating density d, when d
// is declared.
func encodeJPEG(img image.Image, d density) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality}); err != nil {
		return nil, fmt.Errorf("scan: encode jpeg: %w", err)
	}
	out := buf.Bytes()
	if d.zero() || d.x > math.MaxUint16 || d.y > math.MaxUint16 {
		return out, nil
	}
	app0 := jfifSegment(uint16(math.Round(d.x)), uint16(math.Round(d.y)))
	res := make([]byte, 0, len(out)+len(app0))
	res = append(res, out[:2]...) // SOI
	res = append(res, app0...)
	return append(res, out[2:]...), nil
}

// jfifSegment returns a JFIF 1.02 APP0 segment with density in dots per
// inch and no thumbnail.
func jfifSegment(x, y uint16) []byte {
	seg := []byte{0xff, markerAPP0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, 1, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(seg[12:], x)
	binary.BigEndian.PutUint16(seg[14:], y)
	return seg
}
