package scan_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

var update = flag.Bool("update", false, "rewrite testdata/golden-CODEC.txt")

// TestGolden normalises one file of each format and kind and compares a
// digest of every page's output and facts with testdata/golden-CODEC.txt, CODEC being scan.CodecName.
func TestGolden(t *testing.T) {
	t.Parallel()
	g, img := scantest.Gray(crop()), crop()
	files := []struct {
		name string
		data []byte
	}{
		{"jpeg-150dpi-colour-skewed-1.5", skewed(t, 150, 1.5, false)},
		{"jpeg-150dpi-gray-skewed-neg2", skewed(t, 150, -2, true)},
		{"png-rgba", scantest.WithPHYs(scantest.PNG(t, scantest.WithAlpha(img)), 7874, 7874)},
		{"tiff-g4-lzw-jpeg", scantest.TIFF(t,
			scantest.TIFFPage{Img: g, Compression: scantest.TIFFG4, Bilevel: true, DPI: 300},
			scantest.TIFFPage{Img: g, Compression: scantest.TIFFLZW, DPI: 200},
			scantest.TIFFPage{Img: img, Compression: scantest.TIFFJPEG, DPI: 200, RowsPerStrip: 50})},
		{"pdf-flate", scantest.ImagePDF(scantest.PDFImage{Filter: "FlateDecode", Data: zlibData(t, g.Pix), W: 400, H: 300,
			BPC: 8, ColorSpace: "DeviceGray", DPI: 200})},
	}
	var b strings.Builder
	for _, f := range files {
		for _, p := range allPages(t, f.data, scan.Options{}) {
			sum := sha256.Sum256(p.Data)
			fmt.Fprintf(&b, "%s p%d %s %dx%d %gdpi %s reenc=%t skew=%.2f deskewed=%.2f %s\n", f.name, p.Number, p.Format,
				p.Width, p.Height, p.DPIX, p.ColorModel, p.Reencoded, p.Flags.Skew, p.Flags.Deskewed, hex.EncodeToString(sum[:8]))
		}
	}
	path := filepath.Join("testdata", "golden-"+scan.CodecName+".txt") // encoders differ in their bytes
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("output differs from %s (run with -update if the change is intended):\ngot:\n%s\nwant:\n%s", path, b.String(), want)
	}
}
