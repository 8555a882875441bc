package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// permit describes one paper document of a generated batch.
type permit struct {
	file, number, holder, holderID, issued string
	pages                                  int
}

// writePermitScans writes p's pages as A4 colour JPEGs at 200 dpi (text, a
// red seal on the last page) under dir/p.file/, and returns their names.
func writePermitScans(tb testing.TB, dir string, p permit) []string {
	tb.Helper()
	if err := os.MkdirAll(filepath.Join(dir, p.file), 0o755); err != nil {
		tb.Fatal(err)
	}
	var names []string
	for n := 1; n <= p.pages; n++ {
		img := permitPage(tb, p, n)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
			tb.Fatal(err)
		}
		data := scantest.WithJFIF(buf.Bytes(), scantest.UnitsDPI, 200, 200)
		name := filepath.Join(p.file, fmt.Sprintf("trang-%d.jpg", n))
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			tb.Fatal(err)
		}
		names = append(names, name)
	}
	return names
}

// permitPage draws one A4 page at 200 dpi: paper tone, a heading naming the
// permit and its holder, lines of body text, and on the last page the
// agency's red seal.
func permitPage(tb testing.TB, p permit, n int) *image.RGBA {
	tmpl := pageTemplate(tb)
	img := image.NewRGBA(tmpl.Bounds())
	copy(img.Pix, tmpl.Pix)
	face := textFace(tb, 12)
	lines := []string{
		"CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"",
		"GIẤY PHÉP MÔI TRƯỜNG  Số: " + p.number,
		fmt.Sprintf("Cấp cho: %s  (CCCD %s)", p.holder, p.holderID),
		"Ngày cấp: " + p.issued + fmt.Sprintf("   Trang %d/%d", n, p.pages),
	}
	for i, l := range lines {
		drawText(img, face, ink, 150, 200+48*i, l)
	}
	if n == p.pages {
		seal(img, image.Pt(1200, 2000), 180)
	}
	return img
}

var ink = color.RGBA{20, 20, 30, 255}

var (
	templateOnce sync.Once
	template     *image.RGBA
)

// pageTemplate is the paper and body text every generated page shares,
// drawn once.
func pageTemplate(tb testing.TB) *image.RGBA {
	templateOnce.Do(func() {
		const w, h = 1654, 2339
		template = image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(template, template.Bounds(), image.NewUniform(color.RGBA{250, 248, 240, 255}), image.Point{}, draw.Src)
		face := textFace(tb, 12)
		for i := range 40 {
			l := strings.Repeat(fmt.Sprintf("Điều %d. Quy định về xả nước thải và quan trắc môi trường định kỳ. ", i+1), 2)
			drawText(template, face, ink, 150, 200+48*(6+i), l)
		}
	})
	return template
}

func textFace(tb testing.TB, pt float64) font.Face {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		tb.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: pt, DPI: 200, Hinting: font.HintingFull})
	if err != nil {
		tb.Fatal(err)
	}
	return face
}

func drawText(img draw.Image, face font.Face, c color.Color, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// seal draws a red double ring with a star, as an agency's stamp.
func seal(img *image.RGBA, c image.Point, r int) {
	red := color.RGBA{205, 30, 35, 255}
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			d := math.Hypot(float64(x), float64(y))
			inRing := (d <= float64(r) && d >= float64(r)-14) || (d <= float64(r)-30 && d >= float64(r)-36)
			angle := math.Atan2(float64(y), float64(x))
			star := d < float64(r)/3*(0.6+0.4*math.Abs(math.Cos(2.5*angle)))
			if inRing || star {
				img.Set(c.X+x, c.Y+y, red)
			}
		}
	}
}
