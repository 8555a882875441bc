package jpegenc

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"sync"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// testPage and testPhoto are the images the quality tests encode: a page
// at 200 dpi (small, so its text has the size it has on paper) and a
// photograph-like image for colour detail.
var (
	testPage  = sync.OnceValue(func() *image.RGBA { return page(600, 800, 1, 3) })
	testPhoto = sync.OnceValue(func() *image.RGBA { return photo(320, 240, 4) })
)

// TestPSNR encodes each supported type at qualities 50 to 95 and checks
// that image/jpeg decodes it to the source's size with a PSNR against the
// source at least that of image/jpeg's own encoder, less 0.3 dB, and
// above a floor. image/jpeg writes colour as 4:2:0 whatever the input, so
// for 4:4:4, 4:2:2 and 4:4:0 sources Encode is expected to do better.
func TestPSNR(t *testing.T) {
	t.Parallel()
	images := []struct {
		name string
		img  func() *image.RGBA
	}{
		{"page", testPage},
		{"photo", testPhoto},
	}
	// The floors are a little below what both encoders reach; the
	// photograph's colour detail suffers from 4:2:0 sampling.
	floors := map[string]map[int]float64{
		"page":  {50: 30, 75: 33, 85: 35, 95: 38},
		"photo": {50: 25, 75: 28, 85: 29.5, 95: 31},
	}
	for _, im := range images {
		floor := floors[im.name]
		for _, k := range imageKinds {
			for _, q := range []int{50, 75, 85, 95} {
				t.Run(fmt.Sprintf("%s/%s/q%d", im.name, k.name, q), func(t *testing.T) {
					t.Parallel()
					src := k.make(im.img())
					size := src.Bounds().Size()
					ours := mustEncode(t, src, q)
					std := scantest.JPEG(t, src, q)
					pOurs := psnr(t, src, decodeStd(t, ours, size))
					pStd := psnr(t, src, decodeStd(t, std, size))
					t.Logf("PSNR %.2f dB (image/jpeg %.2f dB), %d bytes (image/jpeg %d)", pOurs, pStd, len(ours), len(std))
					if pOurs < pStd-0.3 {
						t.Errorf("PSNR %.2f dB is more than 0.3 dB below image/jpeg's %.2f dB", pOurs, pStd)
					}
					if pOurs < floor[q] {
						t.Errorf("PSNR %.2f dB is below %.0f dB", pOurs, floor[q])
					}
				})
			}
		}
	}
}

// TestSmallerThanStd checks the size of a 200-dpi A4 page at quality 85
// against image/jpeg's, with the same sampling (4:2:0 for colour). The
// optimised Huffman tables save 4 to 5% on this page: it is mostly text,
// whose coefficients the standard tables code well; libjpeg's cjpeg
// -optimize gives the same size within 0.5%.
func TestSmallerThanStd(t *testing.T) {
	t.Parallel()
	src := sync.OnceValue(func() *image.RGBA { return page(1654, 2339, 1, 1) })
	for _, k := range imageKinds {
		if k.name != "gray" && k.name != "ycbcr420" && k.name != "rgba" {
			continue // image/jpeg subsamples the others: not like for like
		}
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			img := k.make(src())
			ours := mustEncode(t, img, 85)
			std := scantest.JPEG(t, img, 85)
			ratio := float64(len(ours)) / float64(len(std))
			t.Logf("%d bytes, image/jpeg %d: ratio %.3f", len(ours), len(std), ratio)
			if ratio > 0.965 {
				t.Errorf("output is %.3f of image/jpeg's size, want at most 0.965", ratio)
			}
		})
	}
}

// TestOddSizes encodes sizes that are not multiples of the block and MCU
// sizes, at qualities 1, 75 and 100, and checks the decoded size and the
// PSNR: at quality 100 a wrong edge would stand out.
func TestOddSizes(t *testing.T) {
	t.Parallel()
	sizes := []image.Point{{1, 1}, {7, 9}, {8, 8}, {15, 17}, {16, 16}, {33, 65}, {65, 33}}
	for _, k := range imageKinds {
		for _, sz := range sizes {
			for _, q := range []int{1, 75, 100} {
				t.Run(fmt.Sprintf("%s/%dx%d/q%d", k.name, sz.X, sz.Y, q), func(t *testing.T) {
					t.Parallel()
					src := k.make(photo(sz.X, sz.Y, uint64(sz.X*100+sz.Y)))
					ours := mustEncode(t, src, q)
					std := scantest.JPEG(t, src, q)
					pOurs := psnr(t, src, decodeStd(t, ours, sz))
					pStd := psnr(t, src, decodeStd(t, std, sz))
					t.Logf("PSNR %.2f dB (image/jpeg %.2f dB)", pOurs, pStd)
					// A coefficient rounded the other way moves the PSNR
					// of a few pixels by a fraction of a decibel, and by
					// decibels at quality 1 (quantisers of 255).
					tol := 0.3
					if sz.X*sz.Y < 1000 {
						tol = 1
					}
					if q == 1 {
						tol = 3
					}
					if pOurs < pStd-tol {
						t.Errorf("PSNR %.2f dB is more than %.1f dB below image/jpeg's %.2f dB", pOurs, tol, pStd)
					}
					if q == 100 && k.name != "rgba" && pOurs < 45 {
						t.Errorf("PSNR %.2f dB at quality 100, want 45 dB or more", pOurs)
					}
				})
			}
		}
	}
}

// TestLargest encodes the widest and tallest images a frame header
// allows, as well as image/jpeg does.
func TestLargest(t *testing.T) {
	t.Parallel()
	for _, sz := range []image.Point{{maxSize, 3}, {2, maxSize}} {
		for _, k := range imageKinds {
			src := k.make(photo(sz.X, sz.Y, 12))
			pOurs := psnr(t, src, decodeStd(t, mustEncode(t, src, 85), sz))
			pStd := psnr(t, src, decodeStd(t, scantest.JPEG(t, src, 85), sz))
			if pOurs < pStd-0.3 {
				t.Errorf("%s %v: PSNR %.2f dB, image/jpeg's %.2f dB", k.name, sz, pOurs, pStd)
			}
		}
	}
}

// subImages returns sub-images of img with Min even and odd in x and y.
func subImages(img image.Image) map[string]image.Image {
	type subImager interface {
		SubImage(image.Rectangle) image.Image
	}
	s := img.(subImager)
	return map[string]image.Image{
		"min=2,4":  s.SubImage(image.Rect(2, 4, 2+37, 4+29)),
		"min=3,5":  s.SubImage(image.Rect(3, 5, 3+37, 5+29)),
		"min=3,4":  s.SubImage(image.Rect(3, 4, 3+36, 4+30)),
		"min=16,9": s.SubImage(image.Rect(16, 9, 64, 48)),
	}
}

// zeroOrigin copies img to an image of the same type at (0, 0), plane by
// plane, so that a YCbCr keeps its samples.
func zeroOrigin(img image.Image) image.Image {
	b := img.Bounds()
	r := image.Rect(0, 0, b.Dx(), b.Dy())
	switch m := img.(type) {
	case *image.Gray:
		c := image.NewGray(r)
		for y := range b.Dy() {
			copy(c.Pix[y*c.Stride:], m.Pix[y*m.Stride:y*m.Stride+b.Dx()])
		}
		return c
	case *image.RGBA:
		c := image.NewRGBA(r)
		for y := range b.Dy() {
			copy(c.Pix[y*c.Stride:], m.Pix[y*m.Stride:y*m.Stride+4*b.Dx()])
		}
		return c
	case *image.YCbCr:
		c := image.NewYCbCr(r, m.SubsampleRatio)
		for y := range b.Dy() {
			copy(c.Y[y*c.YStride:], m.Y[y*m.YStride:y*m.YStride+b.Dx()])
		}
		for y := range len(c.Cb) / c.CStride {
			copy(c.Cb[y*c.CStride:(y+1)*c.CStride], m.Cb[y*m.CStride:])
			copy(c.Cr[y*c.CStride:(y+1)*c.CStride], m.Cr[y*m.CStride:])
		}
		return c
	}
	panic(fmt.Sprintf("zeroOrigin: %T", img))
}

// aligned reports whether a sub-image's Min falls on chroma sample
// boundaries, so that its planes are those of a copy at (0, 0).
func aligned(img image.Image) bool {
	m, ok := img.(*image.YCbCr)
	if !ok {
		return true
	}
	min := m.Rect.Min
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		return min.X%2 == 0
	case image.YCbCrSubsampleRatio420:
		return min.X%2 == 0 && min.Y%2 == 0
	case image.YCbCrSubsampleRatio440:
		return min.Y%2 == 0
	}
	return true
}

// TestSubImage encodes sub-images with a non-zero Min. Where the chroma
// planes line up with the JPEG's, the output must be the bytes of the
// same pixels at (0, 0); elsewhere the PSNR must be that of the copy.
func TestSubImage(t *testing.T) {
	t.Parallel()
	for _, k := range imageKinds {
		full := k.make(photo(80, 60, 5))
		for name, sub := range subImages(full) {
			t.Run(k.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				size := sub.Bounds().Size()
				got := mustEncode(t, sub, 90)
				pGot := psnr(t, sub, decodeStd(t, got, size))
				if aligned(sub) {
					want := mustEncode(t, zeroOrigin(sub), 90)
					if string(got) != string(want) {
						t.Errorf("sub-image at %v encodes differently from its copy at (0, 0)", sub.Bounds().Min)
					}
				}
				pStd := psnr(t, sub, decodeStd(t, scantest.JPEG(t, sub, 90), size))
				t.Logf("PSNR %.2f dB (image/jpeg %.2f dB)", pGot, pStd)
				if pGot < pStd-0.3 {
					t.Errorf("PSNR %.2f dB is more than 0.3 dB below image/jpeg's %.2f dB", pGot, pStd)
				}
			})
		}
	}
}

// flatRGBA returns a w x h image of colour c.
func flatRGBA(w, h int, c color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, 255
	}
	return m
}

// TestFlat encodes flat images, whose AC coefficients are all 0: the AC
// tables then have one symbol (EOB), and so does a DC table when every DC
// difference is 0 (mid-gray) or there is one block. Such one-symbol
// tables must be valid (a 1-bit code). The decoded image must be flat
// and, but at quality 1, of the source's colour.
func TestFlat(t *testing.T) {
	t.Parallel()
	colours := map[string]color.RGBA{
		"white": {255, 255, 255, 255},
		"black": {0, 0, 0, 255},
		"mid":   {128, 128, 128, 255},
		"seal":  {200, 30, 40, 255},
	}
	for cname, c := range colours {
		for _, k := range imageKinds {
			for _, sz := range []image.Point{{1, 1}, {17, 17}, {64, 48}} {
				for _, q := range []int{1, 85, 100} {
					t.Run(fmt.Sprintf("%s/%s/%dx%d/q%d", cname, k.name, sz.X, sz.Y, q), func(t *testing.T) {
						t.Parallel()
						src := k.make(flatRGBA(sz.X, sz.Y, c))
						data := mustEncode(t, src, q)
						tabs := dhtSymbols(t, data)
						if tabs[0x10] != 1 {
							t.Errorf("luma AC table has %d symbols, want 1 (EOB)", tabs[0x10])
						}
						dec := rgbaOf(decodeStd(t, data, sz))
						first := dec.Pix[:3]
						for i := 0; i < len(dec.Pix); i += 4 {
							if string(dec.Pix[i:i+3]) != string(first) {
								t.Fatalf("decoded pixel %d is %v, pixel 0 is %v: not flat", i/4, dec.Pix[i:i+3], first)
							}
						}
						if q > 1 {
							want := rgbaOf(src)
							if d := maxDiff(dec, want); d > 2 {
								t.Errorf("decoded colour %v, source %v", first, want.Pix[:3])
							}
						}
					})
				}
			}
		}
	}
}

// TestQualityClamped checks that qualities outside 1..100 are clamped as
// image/jpeg clamps them.
func TestQualityClamped(t *testing.T) {
	t.Parallel()
	src := scantest.Gray(photo(40, 30, 6))
	for _, c := range [][2]int{{0, 1}, {-5, 1}, {101, 100}, {1000, 100}} {
		got, want := mustEncode(t, src, c[0]), mustEncode(t, src, c[1])
		if string(got) != string(want) {
			t.Errorf("quality %d does not encode as quality %d", c[0], c[1])
		}
	}
}

// TestUnsupported checks the refusals.
func TestUnsupported(t *testing.T) {
	t.Parallel()
	r := image.Rect(0, 0, 8, 8)
	for _, img := range []image.Image{
		image.NewNRGBA(r),
		image.NewRGBA64(r),
		image.NewGray16(r),
		image.NewCMYK(r),
		image.NewPaletted(r, color.Palette{color.Black, color.White}),
		image.NewYCbCr(r, image.YCbCrSubsampleRatio411),
		image.NewYCbCr(r, image.YCbCrSubsampleRatio410),
		image.NewUniform(color.White),
	} {
		if _, err := Encode(img, 85); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%T: error %v, want ErrUnsupported", img, err)
		}
	}
	for _, img := range []image.Image{
		image.NewGray(image.Rect(0, 0, 0, 8)),
		image.NewRGBA(image.Rect(3, 3, 3, 3)),
		&image.Gray{Pix: make([]byte, 10), Stride: 8, Rect: image.Rect(0, 0, 8, 8)},
		&image.YCbCr{Y: make([]byte, 64), Cb: make([]byte, 3), Cr: make([]byte, 16), YStride: 8, CStride: 4,
			SubsampleRatio: image.YCbCrSubsampleRatio420, Rect: image.Rect(0, 0, 8, 8)},
		&image.Gray{Stride: 1 << 16, Rect: image.Rect(0, 0, 1<<16, 1)},
	} {
		_, err := Encode(img, 85)
		if err == nil || errors.Is(err, ErrUnsupported) {
			t.Errorf("%T %v: error %v, want another error", img, img.Bounds(), err)
		}
	}
}
