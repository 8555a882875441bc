package scan

import (
	"fmt"
	"math"
)

// Defaults applied by Options for zero fields.
const (
	DefaultMaxPages        = 2000
	DefaultMaxDPI          = 300
	DefaultMinDPI          = 200
	DefaultDeskewThreshold = 0.1 // degrees
	DefaultMaxSkew         = 6   // degrees
	DefaultBlankInk        = 0.0005
)

// Options configures Pages. The zero value gives every default.
type Options struct {
	// MaxPixels is the largest width*height of one page, checked from the
	// header before decoding. Default DefaultMaxPixels (120_000_000).
	MaxPixels int64
	// MaxPages is the largest number of pages in one file (TIFF, PDF),
	// counted before any page is decoded. Default DefaultMaxPages (2000).
	MaxPages int
	// MaxDPI is the highest resolution kept: a page above it is resampled
	// down to it, in the same pass as any rotation. Default DefaultMaxDPI
	// (300); negative disables resampling.
	MaxDPI float64
	// MinDPI is the lowest resolution accepted without a flag: a page
	// below it gets Flags.LowDPI. Default DefaultMinDPI (200), the legal
	// minimum.
	MinDPI float64
	// DeskewThreshold is the smallest measured skew, in degrees, that is
	// corrected. Default DefaultDeskewThreshold (0.1); negative disables
	// deskewing (the skew is still measured and reported).
	DeskewThreshold float64
	// MaxSkew is the largest skew, in degrees either way, that is searched
	// for. Default DefaultMaxSkew (6).
	MaxSkew float64
	// BlankInk is the fraction of dark pixels in the page's central area
	// below which the page is flagged Blank. Default DefaultBlankInk
	// (0.0005, 0.05%).
	BlankInk float64
	// ConfirmedDPI is the resolution the clerk confirmed for the file's
	// pages: a page that declares none, or one below MinDPI (scanner
	// software often writes 72), is taken at ConfirmedDPI instead and gets
	// Flags.DPIConfirmed. Zero: none confirmed; such pages are flagged
	// NoDPI or LowDPI.
	ConfirmedDPI float64
	// JPEGQuality is the quality of a re-encoded JPEG when the source is
	// not a JPEG whose quality can be estimated. Default JPEGQuality (90).
	JPEGQuality int
	// ThumbSize is the long side, in pixels, of the page's thumbnail
	// (Page.Thumb). Default DefaultThumbSize (200); negative makes none.
	ThumbSize int
	// PreviewSize is the long side, in pixels, of the page's larger
	// preview (Page.Preview). Default DefaultPreviewSize (1000); negative
	// makes none.
	PreviewSize int
}

// withDefaults returns o with zero fields set to their defaults, or an
// error naming the first invalid field.
func (o Options) withDefaults() (Options, error) {
	switch {
	case o.MaxPixels < 0:
		return o, fmt.Errorf("scan: Options.MaxPixels is %d, must not be negative", o.MaxPixels)
	case o.MaxPages < 0:
		return o, fmt.Errorf("scan: Options.MaxPages is %d, must not be negative", o.MaxPages)
	case o.MinDPI < 0:
		return o, fmt.Errorf("scan: Options.MinDPI is %v, must not be negative", o.MinDPI)
	case o.MaxSkew < 0 || o.MaxSkew > 45:
		return o, fmt.Errorf("scan: Options.MaxSkew is %v, must be within 0..45", o.MaxSkew)
	case o.BlankInk < 0 || o.BlankInk >= 1:
		return o, fmt.Errorf("scan: Options.BlankInk is %v, must be within 0..1", o.BlankInk)
	case o.ConfirmedDPI < 0 || math.IsNaN(o.ConfirmedDPI) || math.IsInf(o.ConfirmedDPI, 0):
		return o, fmt.Errorf("scan: Options.ConfirmedDPI is %v, must be a positive resolution or 0", o.ConfirmedDPI)
	case o.JPEGQuality < 0 || o.JPEGQuality > 100:
		return o, fmt.Errorf("scan: Options.JPEGQuality is %d, must be within 0..100", o.JPEGQuality)
	}
	o.MaxPixels = defaultTo(o.MaxPixels, DefaultMaxPixels)
	o.MaxPages = defaultTo(o.MaxPages, DefaultMaxPages)
	o.MaxDPI = defaultTo(o.MaxDPI, DefaultMaxDPI)
	o.MinDPI = defaultTo(o.MinDPI, DefaultMinDPI)
	o.DeskewThreshold = defaultTo(o.DeskewThreshold, DefaultDeskewThreshold)
	o.MaxSkew = defaultTo(o.MaxSkew, DefaultMaxSkew)
	o.BlankInk = defaultTo(o.BlankInk, DefaultBlankInk)
	o.JPEGQuality = defaultTo(o.JPEGQuality, JPEGQuality)
	o.ThumbSize = defaultTo(o.ThumbSize, DefaultThumbSize)
	o.PreviewSize = defaultTo(o.PreviewSize, DefaultPreviewSize)
	return o, nil
}

func defaultTo[T int | int64 | float64](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// checkSize refuses w×h over the pixel limit, or a non-positive size.
func (o Options) checkSize(f Format, w, h int) error {
	if w <= 0 || h <= 0 {
		return errCorrupt(f, fmt.Errorf("scan: header: dimensions %dx%d", w, h))
	}
	if int64(w)*int64(h) > o.MaxPixels {
		return errTooLarge(w, h, o.MaxPixels)
	}
	return nil
}

// Flags are the facts about a page the batch report shows the clerk.
type Flags struct {
	NoDPI  bool // the file declares no resolution: the clerk must confirm it
	LowDPI bool // the declared resolution is below Options.MinDPI
	// DPIConfirmed: the page declared no resolution or one below
	// Options.MinDPI, and was taken at Options.ConfirmedDPI instead.
	DPIConfirmed bool
	Blank        bool    // almost no ink: an empty back of a duplex scan, say; kept, never dropped
	Resampled    bool    // resolution was above Options.MaxDPI and was brought down to it
	Skew         float64 // measured skew in degrees, counter-clockwise positive; 0 when not measured
	Deskewed     float64 // rotation applied in degrees; 0 when the page was not turned
}
