package assemble

import (
	"fmt"
	"io"
	"math"

	"github.com/khoso-vn/khoso/ingest/scan"
)

// pointsPerInch is the PDF user space unit.
const pointsPerInch = 72

// imageObject is a page image ready to embed as an image XObject.
type imageObject interface {
	// size returns the image's width and height in pixels.
	size() (w, h int)
	// dict returns the XObject dictionary entries other than /Type,
	// /Subtype and /Length.
	dict() string
	// writeData writes the stream data; its errors other than those of w
	// wrap ErrInvalidPage.
	writeData(w io.Writer) error
}

// layout is a checked page: its image and its size in points.
type layout struct {
	image             imageObject
	widthPt, heightPt float64
}

// planPage checks p and computes its page size.
func planPage(p Page) (layout, error) {
	img, err := planImage(p)
	if err != nil {
		return layout{}, err
	}
	w, h := img.size()
	if (p.Width != 0 && p.Width != w) || (p.Height != 0 && p.Height != h) {
		return layout{}, fmt.Errorf("%w: page says %dx%d pixels, image is %dx%d", ErrInvalidPage, p.Width, p.Height, w, h)
	}
	dx, dy, err := resolution(p.DPIX, p.DPIY)
	if err != nil {
		return layout{}, err
	}
	l := layout{image: img, widthPt: float64(w) / dx * pointsPerInch, heightPt: float64(h) / dy * pointsPerInch}
	if l.widthPt > MaxPageSide || l.heightPt > MaxPageSide {
		return layout{}, fmt.Errorf("%w: page of %.0fx%.0f pt exceeds %d pt (resolution %v×%v dpi too low?)",
			ErrInvalidPage, l.widthPt, l.heightPt, MaxPageSide, dx, dy)
	}
	return l, nil
}

// planImage reads the image header for its format.
func planImage(p Page) (imageObject, error) {
	switch p.Format {
	case scan.JPEG:
		return planJPEG(p.Data)
	case scan.PNG:
		return planPNG(p.Data)
	case scan.G4:
		return planG4(p)
	}
	return nil, fmt.Errorf("%w: format %q, want %q, %q or %q", ErrInvalidPage, p.Format, scan.JPEG, scan.PNG, scan.G4)
}

// resolution returns the dpi to lay a page out at: DefaultDPI when neither
// axis is declared, the declared axis for both when only one is.
func resolution(x, y float64) (float64, float64, error) {
	for _, v := range []float64{x, y} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, 0, fmt.Errorf("%w: resolution %v×%v dpi", ErrInvalidPage, x, y)
		}
	}
	switch {
	case x == 0 && y == 0:
		return DefaultDPI, DefaultDPI, nil
	case x == 0:
		return y, y, nil
	case y == 0:
		return x, x, nil
	}
	return x, y, nil
}
