package assemble_test

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/ingest/assemble"
	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// fixture is one input page and what pdfimages should report for it.
type fixture struct {
	name       string
	page       assemble.Page
	src        image.Image // for PNG pages: the pixels before flattening
	wantPt     [2]float64
	wantColor  string // pdfimages colour: gray or rgb
	wantEncode string // pdfimages encoding: jpeg or image
}

func normalised(tb testing.TB, data []byte) assemble.Page {
	tb.Helper()
	p, err := scan.Normalise(data, scan.Limits{})
	if err != nil {
		tb.Fatalf("scan.Normalise: %v", err)
	}
	return assemble.FromScan(p)
}

func fixtures(tb testing.TB) []fixture {
	tb.Helper()
	a4 := scantest.A4Page()
	q := scantest.Quadrants(40, 30)
	gray := scantest.Gray(q)
	alpha := scantest.WithAlpha(q)
	grayAlpha := scantest.WithAlpha(gray)
	pngPage := func(img image.Image) assemble.Page {
		return normalised(tb, scantest.WithPHYs(scantest.PNG(tb, img), 7874, 7874))
	}
	return []fixture{
		{"A4 colour JPEG 200 dpi", normalised(tb, scantest.WithJFIF(scantest.JPEG(tb, a4, 85), scantest.UnitsDPI, 200, 200)),
			nil, [2]float64{595.44, 842.04}, "rgb", "jpeg"},
		{"gray JPEG 300 dpi", normalised(tb, scantest.WithJFIF(scantest.JPEG(tb, scantest.Gray(a4), 85), scantest.UnitsDPI, 300, 300)),
			nil, [2]float64{396.96, 561.36}, "gray", "jpeg"},
		{"JPEG without dpi", normalised(tb, scantest.JPEG(tb, q, 85)), nil, [2]float64{14.4, 10.8}, "rgb", "jpeg"},
		{"JPEG rotated", normalised(tb, scantest.WithEXIF(scantest.JPEG(tb, q, 85), scantest.EXIF{Orientation: 6})),
			nil, [2]float64{10.8, 14.4}, "rgb", "jpeg"},
		{"PNG gray", pngPage(gray), gray, [2]float64{14.4, 10.8}, "gray", "image"},
		{"PNG gray 16-bit", pngPage(scantest.Gray16(gray)), gray, [2]float64{14.4, 10.8}, "gray", "image"},
		{"PNG RGB", pngPage(q), q, [2]float64{14.4, 10.8}, "rgb", "image"},
		{"PNG palette", pngPage(scantest.Paletted(q)), q, [2]float64{14.4, 10.8}, "rgb", "image"},
		{"PNG RGBA", pngPage(alpha), alpha, [2]float64{14.4, 10.8}, "rgb", "image"},
		{"PNG gray+alpha", normalised(tb, scantest.WithPHYs(scantest.GrayAlphaPNG(grayAlpha), 7874, 7874)),
			grayAlpha, [2]float64{14.4, 10.8}, "gray", "image"},
		{"PNG RGBA 16-bit", pngPage(scantest.RGBA64(alpha)), alpha, [2]float64{14.4, 10.8}, "rgb", "image"},
	}
}

func TestWrite(t *testing.T) {
	t.Parallel()
	fx := fixtures(t)
	pages := make([]assemble.Page, len(fx))
	for i, f := range fx {
		pages[i] = f.page
	}
	var buf bytes.Buffer
	if err := assemble.Write(&buf, pages, assemble.Info{Title: "Giấy phép số 12/GP-BTTTT", Author: "Bộ Thông tin và Truyền thông",
		Creator: "khoso (test)", Created: time.Date(2025, 3, 4, 9, 30, 0, 0, time.FixedZone("ICT", 7*3600))}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	path := savePDF(t, buf.Bytes())
	checkValid(t, path, buf.Bytes(), len(fx))
	t.Run("pdfinfo", func(t *testing.T) { t.Parallel(); checkInfo(t, path, fx) })
	t.Run("pdfimages", func(t *testing.T) { t.Parallel(); checkImages(t, path, fx) })
	t.Run("trailer", func(t *testing.T) { t.Parallel(); checkTrailer(t, buf.Bytes()) })
}

func checkInfo(t *testing.T, path string, fx []fixture) {
	info := pdfInfo(t, path, len(fx))
	if info["Pages"] != strconv.Itoa(len(fx)) {
		t.Errorf("pdfinfo Pages = %q, want %d", info["Pages"], len(fx))
	}
	if v := info["PDF version"]; v < "1.4" || len(v) != 3 {
		t.Errorf("pdfinfo PDF version = %q, want at least 1.4", v)
	}
	if info["Title"] != "Giấy phép số 12/GP-BTTTT" || info["Author"] != "Bộ Thông tin và Truyền thông" {
		t.Errorf("pdfinfo Title %q Author %q, want the Vietnamese text", info["Title"], info["Author"])
	}
	for i, f := range fx {
		key := "Page " + strings.Repeat(" ", 4-len(strconv.Itoa(i+1))) + strconv.Itoa(i+1) + " size"
		w, h := pageSize(t, info[key])
		if math.Abs(w-f.wantPt[0]) > 0.01 || math.Abs(h-f.wantPt[1]) > 0.01 {
			t.Errorf("%s: page size %vx%v pt, want %vx%v", f.name, w, h, f.wantPt[0], f.wantPt[1])
		}
	}
}

func checkImages(t *testing.T, path string, fx []fixture) {
	rows := listImages(t, path)
	if len(rows) != len(fx) {
		t.Fatalf("pdfimages lists %d images, want %d", len(rows), len(fx))
	}
	files := extractImages(t, path)
	if len(files) != len(fx) {
		t.Fatalf("pdfimages extracted %d files, want %d", len(files), len(fx))
	}
	for i, f := range fx {
		r := rows[i]
		if r.page != i+1 || r.width != f.page.Width || r.height != f.page.Height || r.color != f.wantColor ||
			r.bpc != 8 || r.enc != f.wantEncode {
			t.Errorf("%s: pdfimages row %+v, want page %d %dx%d %s 8 bpc %s",
				f.name, r, i+1, f.page.Width, f.page.Height, f.wantColor, f.wantEncode)
		}
		got, err := os.ReadFile(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if f.src == nil {
			if filepath.Ext(files[i]) != ".jpg" || !bytes.Equal(got, f.page.Data) {
				t.Errorf("%s: embedded JPEG %s (%d bytes) differs from the input (%d bytes)",
					f.name, files[i], len(got), len(f.page.Data))
			}
			continue
		}
		comparePixels(t, f.name, got, f.src)
	}
}

// comparePixels checks an extracted PNG against src drawn over white.
func comparePixels(tb testing.TB, name string, got []byte, src image.Image) {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		tb.Fatalf("%s: decode extracted PNG: %v", name, err)
	}
	want := image.NewRGBA(src.Bounds())
	draw.Draw(want, want.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(want, want.Rect, src, src.Bounds().Min, draw.Over)
	for y := range want.Rect.Dy() {
		for x := range want.Rect.Dx() {
			if !close(img.At(x, y), want.At(x, y)) {
				tb.Fatalf("%s: pixel (%d,%d) = %v, want %v", name, x, y, img.At(x, y), want.At(x, y))
			}
		}
	}
}

func close(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) bool { return max(x, y)-min(x, y) <= 0x101 }
	return d(ar, br) && d(ag, bg) && d(ab, bb)
}

var idRe = regexp.MustCompile(`/ID \[<([0-9a-f]{32})> <([0-9a-f]{32})>\]`)

func checkTrailer(t *testing.T, b []byte) {
	m := idRe.FindSubmatch(b)
	if m == nil || !bytes.Equal(m[1], m[2]) {
		t.Errorf("trailer /ID = %q, want two identical 16-byte hex strings", m)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Errorf("PDF does not start with the header and binary comment or end with %%%%EOF")
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	t.Parallel()
	pages := []assemble.Page{normalised(t, scantest.JPEG(t, scantest.Quadrants(64, 32), 80))}
	write := func(title string) []byte {
		var buf bytes.Buffer
		if err := assemble.Write(&buf, pages, assemble.Info{Title: title}); err != nil {
			t.Fatalf("Write: %v", err)
		}
		return buf.Bytes()
	}
	a, b, c := write("a (1)"), write("a (1)"), write("b")
	if !bytes.Equal(a, b) {
		t.Error("the same input gave different PDFs")
	}
	if bytes.Equal(idRe.Find(a), idRe.Find(c)) {
		t.Error("different content gave the same /ID")
	}
	if !bytes.Contains(a, []byte(`/Title (a \(1\))`)) {
		t.Errorf("ASCII title not written as an escaped literal string")
	}
	checkValid(t, savePDF(t, a), a, 1)
}
