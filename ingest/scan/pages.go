package scan

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"time"
)

// source is one page of an input file before normalisation.
type source struct {
	format      Format // JPEG, PNG or G4 when data can be embedded as it is; "" when only pixels exist
	data        []byte // the embeddable bytes, or nil
	w, h        int    // pixels as stored, before orientation
	dpi         density
	color       string
	bilevel     bool      // 1-bit page: re-encoded as G4
	blackIs1    bool      // G4 data: 1 bits are black
	orientation int       // EXIF orientation, 0 or 1 when upright
	quality     int       // estimated JPEG quality; 0 when unknown
	scanned     time.Time // when the file says it was scanned; zero when it does not
	scannedFrom Format    // the file whose metadata said so: JPEG (EXIF), TIFF or PDF
	decode      func() (image.Image, error)
}

// Pages normalises every page of one file, in order, calling yield with
// each page as soon as it is ready; only one page's pixels are held at a
// time. name is the file name, used in nothing but messages. The file may
// be a JPEG, PNG, TIFF (one or more pages) or a PDF whose pages are each
// one scanned image. Page counts and dimensions are checked from headers
// before any pixel is decoded.
//
// A refusal is an *Error wrapping ErrUnsupported, ErrTooLarge or
// ErrCorrupt, naming the page for a multi-page file; pages before it have
// already been yielded. An error from yield stops Pages and is returned as
// it is. Invalid options are reported as a plain error naming the field.
func Pages(data []byte, name string, opt Options, yield func(*Page) error) error {
	opt, err := opt.withDefaults()
	if err != nil {
		return err
	}
	f, err := detect(data)
	if err != nil {
		return err
	}
	each := func(n int, src *source) error {
		p, err := process(src, opt)
		if err != nil {
			return atPage(err, n)
		}
		p.Number = n
		return yield(p)
	}
	switch f {
	case TIFF:
		return tiffPages(data, opt, each)
	case PDF:
		return pdfPages(data, opt, each)
	}
	src, err := imageSource(f, data, opt)
	if err != nil {
		return err
	}
	p, err := process(src, opt)
	if err != nil {
		return err
	}
	p.Number = 1
	return yield(p)
}

// imageSource reads the header of a single-image JPEG or PNG file.
func imageSource(f Format, data []byte, opt Options) (*source, error) {
	if f == PNG {
		return pngSource(data, opt)
	}
	return jpegSource(data, opt)
}

// pngSource checks a PNG header; its pixels decode later.
func pngSource(data []byte, opt Options) (*source, error) {
	m := readPNGMeta(data)
	if err := opt.checkSize(PNG, max(m.w, 1), max(m.h, 1)); err != nil {
		return nil, err
	}
	cfg, err := decodeConfig(PNG, data)
	if err != nil {
		return nil, err
	}
	if err := opt.checkSize(PNG, cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	return &source{format: PNG, data: data, w: cfg.Width, h: cfg.Height, dpi: m.density,
		color: pngColorModel(m.colorType), bilevel: m.bitDepth == 1 && m.colorType == 0,
		decode: func() (image.Image, error) { return decodeWith(PNG, data) }}, nil
}

// jpegSource checks a JPEG header; its pixels decode later.
func jpegSource(data []byte, opt Options) (*source, error) {
	m := readJPEGMeta(data)
	if err := opt.checkSize(JPEG, max(m.w, 1), max(m.h, 1)); err != nil {
		return nil, err
	}
	cfg, err := decodeConfig(JPEG, data)
	if err != nil {
		return nil, err
	}
	if err := opt.checkSize(JPEG, cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	d := m.jfif
	if d.zero() {
		d = m.exif
	}
	if d.zero() {
		d = density{}
	}
	return &source{format: JPEG, data: data, w: cfg.Width, h: cfg.Height, dpi: d,
		color: jpegColorModelOf(cfg), orientation: m.orientation, quality: m.quality, scanned: m.scanned, scannedFrom: JPEG,
		decode: func() (image.Image, error) { return decodeWith(JPEG, data) }}, nil
}

// decodeWith decodes a whole JPEG or PNG, classifying its errors.
func decodeWith(f Format, data []byte) (image.Image, error) {
	var img image.Image
	var err error
	if f == JPEG {
		img, err = jpegCodec.decode(data)
	} else {
		img, err = decodePNG(data)
	}
	if err != nil {
		return nil, classify(f, "decode", err)
	}
	return img, nil
}

// decodePNG decodes a whole PNG.
func decodePNG(data []byte) (image.Image, error) { return png.Decode(bytes.NewReader(data)) }

// jpegColorModelOf names the colour model a JPEG header declares.
func jpegColorModelOf(cfg image.Config) string {
	switch cfg.ColorModel {
	case color.GrayModel:
		return ColorGray
	case color.CMYKModel:
		return ColorCMYK
	}
	return ColorRGB
}
