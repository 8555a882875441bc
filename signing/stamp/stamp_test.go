package stamp_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	qr "github.com/skip2/go-qrcode"

	"github.com/khoso-vn/khoso/signing/stamp"
)

// onePage writes a minimal A4 PDF with one content stream, as an assembler
// would, with an /ID.
func onePage() []byte {
	var b bytes.Buffer
	off := []int{}
	obj := func(s string) {
		off = append(off, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(off), s)
	}
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.44 842.04] /Contents 4 0 R /Resources << >> >>")
	content := "0.9 g 0 0 595 842 re f"
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(off)+1)
	for _, o := range off {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\nstartxref\n%d\n%%%%EOF\n", len(off)+1, xref)
	return b.Bytes()
}

func requireTool(tb testing.TB, name, pkg string) {
	tb.Helper()
	if _, err := exec.LookPath(name); err != nil {
		tb.Fatalf("%s is needed: apt-get install -y %s (or run `make test`)", name, pkg)
	}
}

func qrImage(tb testing.TB, text string) *image.Gray {
	q, err := qr.New(text, qr.Medium)
	if err != nil {
		tb.Fatal(err)
	}
	q.DisableBorder = false
	bm := q.Bitmap()
	g := image.NewGray(image.Rect(0, 0, len(bm), len(bm)))
	for y, row := range bm {
		for x, black := range row {
			if !black {
				g.Pix[y*g.Stride+x] = 255
			}
		}
	}
	return g
}

func TestApply(t *testing.T) {
	requireTool(t, "qpdf", "qpdf")
	requireTool(t, "pdftotext", "poppler-utils")
	requireTool(t, "pdffonts", "poppler-utils")
	requireTool(t, "pdftoppm", "poppler-utils")
	t.Parallel()
	doc := onePage()
	w, h, err := stamp.PageSize(doc)
	if err != nil || w != 595.44 || h != 842.04 {
		t.Fatalf("PageSize = %v x %v, %v", w, h, err)
	}
	payload := "H12.1-261122-0001|1.010727|001088012345|Giấy phép môi trường|khoso|22/11/2026 09:30:00 +07:00|đến 31/12/2035"
	lines := []string{"TRÍCH SAO", "Bộ Tài nguyên và Môi trường", "22/11/2026 09:30:00 +07:00"}
	out, err := stamp.Apply(doc, stamp.Stamp{
		Texts:  []stamp.Text{{Lines: lines, X: w - 28, Y: h - 40, AlignRight: true}},
		Images: []stamp.Image{{Gray: qrImage(t, payload), X: 28, Y: h - 28 - 85, W: 85, H: 85}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, doc) {
		t.Fatal("Apply changed the original bytes; it must only append")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "stamped.pdf")
	os.WriteFile(f, out, 0o644)
	if b, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil || strings.Contains(string(b), "WARNING") {
		t.Fatalf("qpdf --check: %v\n%s", err, b)
	}
	text, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if !strings.Contains(string(text), l) {
			t.Errorf("pdftotext does not find %q in:\n%s", l, text)
		}
	}
	fonts, _ := exec.Command("pdffonts", f).Output()
	if !regexp.MustCompile(`\n[A-Z]{6}\+LiberationSerif\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes`).Match(fonts) {
		t.Errorf("pdffonts: font not embedded as a subset with a ToUnicode map:\n%s", fonts)
	}
	if grown := len(out) - len(doc); grown > 40_000 {
		t.Errorf("the stamp added %d bytes; its font subset should keep it under 40,000", grown)
	}
	if got := decodeQR(t, f, dir); got != payload {
		t.Errorf("QR decodes to %q, want %q", got, payload)
	}
}

// decodeQR renders page 1 with poppler and reads the QR code with gozxing.
func decodeQR(t *testing.T, pdfFile, dir string) string {
	if b, err := exec.Command("pdftoppm", "-r", "150", "-png", "-singlefile", pdfFile, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	fh, err := os.Open(filepath.Join(dir, "p.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("gozxing: %v", err)
	}
	return res.GetText()
}

func TestApplyRefusesNonPDF(t *testing.T) {
	t.Parallel()
	if _, err := stamp.Apply([]byte("not a pdf"), stamp.Stamp{}); err == nil {
		t.Fatal("Apply accepted a non-PDF")
	}
}

func TestPDFA(t *testing.T) {
	requireTool(t, "pdfinfo", "poppler-utils")
	requireTool(t, "qpdf", "qpdf")
	t.Parallel()
	out, err := stamp.PDFA(onePage(), stamp.Archival{DocName: "Giấy phép môi trường", Number: "123/GP-BTNMT",
		Issuer: "Bộ Tài nguyên và Môi trường", HolderID: "001088012345", HolderName: "Nguyễn Văn Đức", ResultCode: "H12-KQ1"})
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "a.pdf")
	os.WriteFile(f, out, 0o644)
	if b, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil || strings.Contains(string(b), "WARNING") {
		t.Fatalf("qpdf --check: %v\n%s", err, b)
	}
	meta, err := exec.Command("pdfinfo", "-meta", f).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
		"<khoso:DocumentNumber>123/GP-BTNMT</khoso:DocumentNumber>", "<khoso:HolderName>Nguyễn Văn Đức</khoso:HolderName>"} {
		if !strings.Contains(string(meta), want) {
			t.Errorf("pdfinfo -meta lacks %s:\n%s", want, meta)
		}
	}
	if !bytes.Contains(out, []byte("/OutputIntents")) || !bytes.Contains(out, []byte("/GTS_PDFA1")) {
		t.Error("no sRGB output intent")
	}
}
