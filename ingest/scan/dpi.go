package scan

import (
	"encoding/binary"
	"math"
)

// Lengths used for unit conversion.
const (
	cmPerInch = 2.54
	mPerInch  = 0.0254
)

// density is a resolution in dots per inch; zero means not declared.
type density struct{ x, y float64 }

// zero reports whether no usable resolution was declared. A declaration
// with a zero on either axis is treated as no declaration.
func (d density) zero() bool { return d.x <= 0 || d.y <= 0 }

// swap returns d with its axes exchanged, for 90° rotations.
func (d density) swap() density { return density{d.y, d.x} }

// commonDPI are the resolutions scanners offer, ascending.
var commonDPI = []float64{72, 75, 96, 100, 150, 200, 240, 300, 400, 600, 1200}

// perCentimetre converts dots per centimetre to dots per inch. A whole
// number of dots per centimetre cannot state 200 or 300 dpi exactly
// (scanners write 79 and 118), so a whole value that is the rounding of a
// common scanner resolution gives that resolution; any other value is
// rounded to the nearest integer.
func perCentimetre(v float64) float64 {
	if v == math.Trunc(v) {
		for _, d := range commonDPI {
			if math.Round(d/cmPerInch) == v {
				return d
			}
		}
	}
	return math.Round(v * cmPerInch)
}

// perMetre converts pixels per metre (PNG pHYs) to dots per inch, rounded
// to an integer: 7874 becomes 200, 11811 becomes 300.
func perMetre(v float64) float64 { return math.Round(v * mPerInch) }

// pngMeta is what the PNG chunks before the image data declare.
type pngMeta struct {
	colorType int // IHDR colour type: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA
	bitDepth  int // IHDR bit depth
	w, h      int // from IHDR; 0 when absent
	density   density
}

// readPNGMeta walks the PNG chunks before IDAT. CRCs are left to the
// decoder, which checks them all.
func readPNGMeta(data []byte) pngMeta {
	m := pngMeta{colorType: -1}
	for i := 8; i+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		if n < 0 || i+8+n > len(data) || typ == "IDAT" {
			break
		}
		body := data[i+8 : i+8+n]
		switch {
		case typ == "IHDR" && n >= 13:
			m.w = int(binary.BigEndian.Uint32(body))
			m.h = int(binary.BigEndian.Uint32(body[4:]))
			m.bitDepth, m.colorType = int(body[8]), int(body[9])
		case typ == "pHYs" && n == 9 && body[8] == 1: // unit 1: metre
			m.density = density{
				perMetre(float64(binary.BigEndian.Uint32(body))),
				perMetre(float64(binary.BigEndian.Uint32(body[4:]))),
			}
		}
		i += 12 + n
	}
	return m
}

// pngColorModel names a PNG colour type for Page.ColorModel.
func pngColorModel(colorType int) string {
	switch colorType {
	case 0:
		return ColorGray
	case 2:
		return ColorRGB
	case 3:
		return ColorPalette
	case 4:
		return ColorGrayAlpha
	case 6:
		return ColorRGBA
	}
	return ColorUnknown
}
