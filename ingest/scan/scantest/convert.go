package scantest

import (
	"image"
	"image/color"
)

// settable is an image whose pixels can be set.
type settable interface {
	image.Image
	Set(x, y int, c color.Color)
}

// convert copies img into dst pixel by pixel and returns dst.
func convert[T settable](dst T, img image.Image) T {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			dst.Set(x, y, img.At(x, y))
		}
	}
	return dst
}

// Gray returns img converted to 8-bit gray.
func Gray(img image.Image) *image.Gray { return convert(image.NewGray(img.Bounds()), img) }

// Gray16 returns img converted to 16-bit gray (a 16-bit gray PNG).
func Gray16(img image.Image) *image.Gray16 { return convert(image.NewGray16(img.Bounds()), img) }

// RGBA64 returns img converted to 16-bit RGBA (a 16-bit PNG, with alpha
// when img has any).
func RGBA64(img image.Image) *image.RGBA64 { return convert(image.NewRGBA64(img.Bounds()), img) }

// Paletted returns img mapped onto white, red, green, blue and black (a
// palette PNG).
func Paletted(img image.Image) *image.Paletted {
	pal := color.Palette{color.White, color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255},
		color.RGBA{0, 0, 255, 255}, color.Black}
	return convert(image.NewPaletted(img.Bounds(), pal), img)
}

// WithAlpha returns img with its left half fully transparent and a band
// across the middle half transparent, as an NRGBA (an RGBA PNG).
func WithAlpha(img image.Image) *image.NRGBA {
	b := img.Bounds()
	n := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			switch {
			case x-b.Min.X < b.Dx()/2:
				c.A = 0
			case y-b.Min.Y >= b.Dy()/4 && y-b.Min.Y < b.Dy()/2:
				c.A = 128
			}
			n.SetNRGBA(x, y, c)
		}
	}
	return n
}
