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
	"time"
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
	ColorBilevel   = "bilevel"    // 1-bit black and white (CCITT, 1-bit TIFF, PNG or PDF image)
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
	Number        int     // 1-based position of the page in its file
	Format        Format  // format of Data: JPEG, PNG or G4
	Data          []byte  // encoded page: the original bytes when pixels did not change, else re-encoded
	Width, Height int     // pixels, after orientation
	DPIX, DPIY    float64 // resolution in dots per inch; 0 when the file declares none
	ColorModel    string  // one of the Color constants, describing the source image
	Reencoded     bool    // Data differs from the input's image data (orientation, skew or resampling applied)
	BlackIs1      bool    // G4 only: 1 bits are black (/BlackIs1 true), as in a BlackIsZero TIFF
	Flags         Flags   // facts for the batch report
	// Thumb and Preview are the page reduced for screens, made from its
	// final pixels (see Options.ThumbSize, Options.PreviewSize); empty
	// when their size is negative.
	Thumb, Preview View
	// ScannedAt is when the file says the page was scanned: a JPEG's EXIF
	// DateTimeOriginal (else its DateTime), a TIFF page's DateTime (tag 306),
	// a PDF's /CreationDate; a date without a zone is taken as UTC+7. Zero
	// when the file says nothing. ScannedFrom names the format that said it.
	ScannedAt   time.Time
	ScannedFrom Format
}

// Normalise checks one scanned page image and turns it upright, without
// deskewing or resampling: it is Pages restricted to single-image JPEG
// and PNG files with Options.DeskewThreshold, Options.MaxDPI,
// Options.ThumbSize and Options.PreviewSize negative.
// See the package documentation for what it reads and changes. A refusal
// is an *Error wrapping ErrUnsupported, ErrTooLarge or ErrCorrupt; an
// invalid lim is reported as a plain error naming the field.
func Normalise(data []byte, lim Limits) (*Page, error) {
	lim, err := lim.withDefaults()
	if err != nil {
		return nil, err
	}
	f, err := detect(data)
	if err != nil {
		return nil, err
	}
	if f != JPEG && f != PNG {
		return nil, errUnsupportedFormat(f.label())
	}
	var page *Page
	opt := Options{MaxPixels: lim.MaxPixels, MaxDPI: -1, DeskewThreshold: -1, ThumbSize: -1, PreviewSize: -1}
	err = Pages(data, "", opt, func(p *Page) error { page = p; return nil })
	return page, err
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

// encodeJPEG encodes img (an *image.Gray, *image.YCbCr or *image.RGBA) at
// quality q and inserts a JFIF APP0 segment stating density d, when d is
// declared.
func encodeJPEG(img image.Image, d density, q int) ([]byte, error) {
	out, err := encodePixels(img, q)
	if err != nil {
		return nil, fmt.Errorf("scan: encode jpeg: %w", err)
	}
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
