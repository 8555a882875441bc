package scan

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"

	"golang.org/x/image/ccitt"
)

// Defaults of Options.ThumbSize and Options.PreviewSize, and the quality
// both are encoded at.
const (
	DefaultThumbSize   = 200  // pixels on the long side
	DefaultPreviewSize = 1000 // pixels on the long side
	ViewQuality        = 80
)

// View is a reduced copy of a page for screens: a baseline JPEG, one
// component for gray and bilevel pages, YCbCr for colour ones. A page
// smaller than the size asked for is encoded at its own size, never
// enlarged.
type View struct {
	Data          []byte // JPEG
	Width, Height int
}

// views makes a page's preview and thumbnail from its final pixels: the
// preview from the page (blocks averaged, then one bilinear pass to the
// exact size), the thumbnail from the preview, so the full page is read
// once. A size that is not positive makes no view.
func views(img image.Image, bilevel bool, opt Options) (thumb, preview View, err error) {
	if opt.PreviewSize <= 0 && opt.ThumbSize <= 0 {
		return View{}, View{}, nil
	}
	base := flatten(img, bilevel)
	if opt.PreviewSize > 0 {
		base = reduce(base, opt.PreviewSize)
		if preview, err = encodeView(base); err != nil {
			return View{}, View{}, err
		}
	}
	if opt.ThumbSize > 0 {
		if thumb, err = encodeView(reduce(base, opt.ThumbSize)); err != nil {
			return View{}, View{}, err
		}
	}
	return thumb, preview, nil
}

// reduce scales img (laid out as flatten returns) so that its long side is
// n pixels, keeping its aspect ratio; an image no larger is returned as it
// is.
func reduce(img image.Image, n int) image.Image {
	b := img.Bounds()
	long := max(b.Dx(), b.Dy())
	if long <= n {
		return img
	}
	scale := float64(n) / float64(long)
	dw, dh := max(1, int(math.Round(float64(b.Dx())*scale))), max(1, int(math.Round(float64(b.Dy())*scale)))
	if k := min(b.Dx()/dw, b.Dy()/dh); k >= 2 {
		img = shrink(img, k)
	}
	if s := img.Bounds(); s.Dx() == dw && s.Dy() == dh {
		return img
	}
	return rotation{cos: 1}.apply(img, dw, dh)
}

// encodeView encodes a reduced page at ViewQuality, without a density.
func encodeView(img image.Image) (View, error) {
	data, err := encodePixels(img, ViewQuality)
	if err != nil {
		return View{}, fmt.Errorf("scan: encode view: %w", err)
	}
	b := img.Bounds()
	return View{Data: data, Width: b.Dx(), Height: b.Dy()}, nil
}

// Stored is a normalised page as the catalog keeps it: its encoded bytes,
// their format and, for G4, its size and polarity.
type Stored struct {
	Data          []byte
	Format        Format // JPEG, PNG or G4
	Width, Height int    // pixels; G4 data carries none of its own
	BlackIs1      bool   // G4 only: 1 bits are black
}

// Views makes the thumbnail and preview of a page normalised before pages
// got them, from its stored bytes, as Pages would have; opt's zero fields
// take their defaults. Undecodable data is an *Error wrapping ErrCorrupt.
func Views(p Stored, opt Options) (thumb, preview View, err error) {
	if opt, err = opt.withDefaults(); err != nil {
		return View{}, View{}, err
	}
	var img image.Image
	switch p.Format {
	case JPEG:
		img, err = decodeWith(JPEG, p.Data)
	case PNG:
		img, err = png.Decode(bytes.NewReader(p.Data))
		if err != nil {
			err = classify(PNG, "decode", err)
		}
	case G4:
		img, err = decodeG4(p)
	default:
		return View{}, View{}, errUnsupportedFormat(string(p.Format))
	}
	if err != nil {
		return View{}, View{}, err
	}
	return views(img, p.Format == G4, opt)
}

// decodeG4 decodes raw CCITT G4 data of p's size.
func decodeG4(p Stored) (image.Image, error) {
	if p.Width <= 0 || p.Height <= 0 {
		return nil, errCorrupt(G4, fmt.Errorf("scan: G4 page of size %dx%d", p.Width, p.Height))
	}
	dst := image.NewGray(image.Rect(0, 0, p.Width, p.Height))
	err := ccitt.DecodeIntoGray(dst, bytes.NewReader(p.Data), ccitt.MSB, ccitt.Group4, &ccitt.Options{Invert: p.BlackIs1})
	if err != nil {
		return nil, errCorrupt(G4, fmt.Errorf("scan: decode G4: %w", err))
	}
	return dst, nil
}
