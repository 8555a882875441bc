package placetest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// RequireTool fails the test when a checker is missing, naming the apt
// package that has it.
func RequireTool(tb testing.TB, name, pkg string) {
	tb.Helper()
	if _, err := exec.LookPath(name); err != nil {
		tb.Fatalf("%s is needed to check khoso's stamps and is missing: apt-get install -y %s (or run `make test`, which installs it)", name, pkg)
	}
}

// Render renders page 1 of pdf in gray at dpi with pdftoppm.
func Render(tb testing.TB, pdf []byte, dpi int) *image.Gray {
	tb.Helper()
	RequireTool(tb, "pdftoppm", "poppler-utils")
	dir := tb.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), "-gray", "-png", "-singlefile", "-f", "1", "-l", "1",
		in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		tb.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "p.png"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		tb.Fatal(err)
	}
	return Gray(img)
}

// Gray returns img in gray.
func Gray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			g.Pix[y*g.Stride+x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
		}
	}
	return g
}

// writePNG writes img into a new file under the test's temporary folder.
func writePNG(tb testing.TB, img image.Image) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "page.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// OCR reads img with Tesseract in Vietnamese, on one thread.
func OCR(tb testing.TB, img image.Image) string {
	tb.Helper()
	RequireTool(tb, "tesseract", "tesseract-ocr tesseract-ocr-vie")
	cmd := exec.Command("tesseract", writePNG(tb, img), "-", "-l", "vie")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("tesseract: %v\n%s (the Vietnamese data is in apt package tesseract-ocr-vie)", err, stderr.String())
	}
	return string(out)
}

// MissingWords returns the phrases that text, read by OCR, lacks. Case,
// spacing and Unicode normalisation are ignored; letters, accents and
// their order are not.
func MissingWords(text string, phrases ...string) []string {
	t := fold(text)
	var missing []string
	for _, p := range phrases {
		if !strings.Contains(t, fold(p)) {
			missing = append(missing, p)
		}
	}
	return missing
}

func fold(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(norm.NFC.String(s)), func(r rune) bool {
		return unicode.IsSpace(r)
	}), " ")
}

// ZBar reads the QR codes of img with zbarimg and returns their text.
func ZBar(tb testing.TB, img image.Image) string {
	tb.Helper()
	RequireTool(tb, "zbarimg", "zbar-tools")
	out, err := exec.Command("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", writePNG(tb, img)).Output()
	if err != nil {
		tb.Fatalf("zbarimg finds no QR code: %v", err)
	}
	return strings.TrimRight(string(out), "\n")
}
