// Package placetest makes scans of permits laid out as Decree 30/2020
// prescribes and checks what khoso stamps on them: that the page's own
// header and the stamp's words both read back with Tesseract, and that no
// pixel of a stamp lies on the ink of the original. The tools it runs
// (pdftoppm, tesseract, zbarimg) must be installed; a missing one fails
// the test with the package to install, never skips it.
package placetest

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/khoso-vn/khoso/signing/stamp"
)

// DPI is the resolution of the pages Permit draws.
const DPI = 200

// Header words Permit draws, for OCR checks.
var (
	AgencyWords = []string{"ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI", "Số: 123/GP-UBND"}
	MottoWords  = []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"}
)

var (
	paper = color.RGBA{250, 248, 242, 255}
	ink   = color.RGBA{15, 15, 25, 255}
)

// Permit draws page 1 of a permit on A4 at DPI, its header from top mm
// (the top of the accents over its capitals):
// the agency and the number top-left, the national motto and the place and
// date top-right, the title, and body text down to 250 mm, in Liberation
// Serif (the font khoso stamps with), within Decree 30/2020's margins
// (left 30 mm, right 15 mm).
func Permit(tb testing.TB, top float64) *image.RGBA {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1654, 2339))
	draw.Draw(img, img.Bounds(), image.NewUniform(paper), image.Point{}, draw.Src)
	f12, f13 := face(tb, 12), face(tb, 13)
	line := func(f font.Face, centre, top float64, s string) {
		w := font.MeasureString(f, s).Ceil()
		x := px(centre) - w/2
		drawString(img, f, x, px(top)+f.Metrics().Ascent.Ceil(), s)
	}
	left, right := 62.0, 142.0 // column centres, mm
	line(f12, left, top, AgencyWords[0])
	line(f12, left, top+6, AgencyWords[1])
	rule(img, left-12, left+12, top+12)
	line(f12, left, top+15, AgencyWords[2])
	line(f12, right, top, MottoWords[0])
	line(f13, right, top+6, MottoWords[1])
	rule(img, right-28, right+28, top+12.5)
	line(f12, right, top+16, "Đồng Nai, ngày 12 tháng 3 năm 2021")
	line(f13, 112, top+32, "GIẤY PHÉP KHAI THÁC NƯỚC DƯỚI ĐẤT")
	for y := top + 46; y < 250; y += 7 {
		drawString(img, f12, px(30), px(y), "Điều 1. Cho phép Công ty TNHH Bình Minh khai thác nước dưới đất tại xã An Phước.")
	}
	return img
}

// px converts millimetres to pixels at DPI.
func px(mm float64) int { return int(mm / 25.4 * DPI) }

func rule(img *image.RGBA, x0, x1, y float64) {
	draw.Draw(img, image.Rect(px(x0), px(y), px(x1), px(y)+2), image.NewUniform(ink), image.Point{}, draw.Src)
}

func face(tb testing.TB, size float64) font.Face {
	tb.Helper()
	f, err := opentype.Parse(stamp.SerifTTF())
	if err != nil {
		tb.Fatal(err)
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: DPI, Hinting: font.HintingFull})
	if err != nil {
		tb.Fatal(err)
	}
	return fc
}

func drawString(img draw.Image, f font.Face, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(ink), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
