package assemble

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/ccitt"

	"github.com/khoso-vn/khoso/ingest/scan"
)

// Image decodes the page's pixels, for those who measure what is on the
// page, such as where its ink is (package signing/stamp/place). A G4 page
// becomes an *image.Gray, black 0.
func (p Page) Image() (image.Image, error) {
	var img image.Image
	var err error
	switch p.Format {
	case scan.JPEG:
		img, err = jpeg.Decode(bytes.NewReader(p.Data))
	case scan.PNG:
		img, err = png.Decode(bytes.NewReader(p.Data))
	case scan.G4:
		g := image.NewGray(image.Rect(0, 0, p.Width, p.Height))
		err = ccitt.DecodeIntoGray(g, bytes.NewReader(p.Data), ccitt.MSB, ccitt.Group4, &ccitt.Options{Invert: p.BlackIs1})
		img = g
	default:
		return nil, fmt.Errorf("%w: format %q, want %q, %q or %q", ErrInvalidPage, p.Format, scan.JPEG, scan.PNG, scan.G4)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: decode %s page: %v", ErrInvalidPage, p.Format, err)
	}
	return img, nil
}
