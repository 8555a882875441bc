package main

import (
	"bytes"
	"image/jpeg"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/ingest/assemble"
	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
	"github.com/khoso-vn/khoso/signing/stamp/place/placetest"
)

// TestCopyStampsOnBlankPaper: certified copies of permits laid out as
// Decree 30/2020 (header from 22 mm). Page 1 of a copy, rendered at 200 dpi,
// reads back (Tesseract) with the header's words and the copy form's; no
// pixel of the stamps lies on the scan's ink; zbarimg reads its QR code
// from a 150-dpi render as the verification URL with the record's codes.
// A record whose name is as long as a name may be (2,000 characters)
// copies too, its QR code as readable.
func TestCopyStampsOnBlankPaper(t *testing.T) {
	requireTool(t, "pdftoppm", "poppler-utils")
	requireTool(t, "tesseract", "tesseract-ocr tesseract-ocr-vie")
	requireTool(t, "zbarimg", "zbar-tools")
	requireTool(t, "pdftotext", "poppler-utils")
	t.Parallel()
	b := startServer(t, t.TempDir(), nil)
	dir := t.TempDir()
	scanJPEG := scantest.WithJFIF(scantest.JPEG(t, placetest.Permit(t, 22), 90), scantest.UnitsDPI, 200, 200)
	long := string([]rune(strings.Repeat("Giấy phép khai thác nước dưới đất ", 100))[:ingest.MaxTextLen])
	manifest := "file,doc_name,number,issued_on,issuer,holder_id,valid_until,dossier_code,procedure_code\n" +
		"a.jpg,Giấy phép khai thác nước dưới đất,123/GP-UBND,12/03/2021,UBND tỉnh Đồng Nai,001088012345,31/12/2031,000.00.23.H19-210312-0001,1.004228\n" +
		"b.jpg," + long + ",124/GP-UBND,12/03/2021,UBND tỉnh Đồng Nai,001088012346,,,\n"
	for name, data := range map[string][]byte{"a.jpg": scanJPEG, "b.jpg": scanJPEG, "manifest.csv": []byte(manifest)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := b.khoso(t, "ingest", dir, "--manifest", filepath.Join(dir, "manifest.csv"), "--wait")
	if code != 0 {
		t.Fatalf("ingest exited %d:\n%s\n%s", code, out, errOut)
	}
	lines := batchLines(out)
	rows := make([]int, 0, len(lines))
	for r := range lines {
		rows = append(rows, r)
	}
	sort.Ints(rows)
	if len(rows) != 2 {
		t.Fatalf("ingest printed %d document lines, want 2:\n%s", len(rows), out)
	}
	before := placetest.Render(t, assembled(t, scanJPEG), placetest.DPI)
	for i, row := range rows {
		pdf, vcode := issueCopy(t, b, lines[row][0])
		payload := placetest.ZBar(t, placetest.Render(t, pdf, 150))
		u, err := url.Parse(payload)
		if err != nil || !strings.HasPrefix(payload, b.url+"/verify/"+vcode) || u.Query().Get("ht") != "khoso" {
			t.Errorf("row %d: QR code %q (%d bytes): want %s/verify/%s and the record's codes", row, payload, len(payload), b.url, vcode)
			continue
		}
		if i == 1 {
			if n := len(payload); n > 300 || !strings.HasSuffix(u.Query().Get("ten"), "...") && u.Query().Get("ten") != "" {
				t.Errorf("the 2,000-character name: QR code of %d bytes, name %q; want it shortened", n, u.Query().Get("ten"))
			}
			continue
		}
		q := u.Query()
		for k, want := range map[string]string{"hs": "000.00.23.H19-210312-0001", "kq": "KQ01", "tt": "1.004228", "dd": "001088012345",
			"ten": "Giấy phép khai thác nước dưới đất", "so": "123/GP-UBND", "hl": "20311231"} {
			if q.Get(k) != want {
				t.Errorf("QR code field %s = %q, want %q (payload %s)", k, q.Get(k), want, payload)
			}
		}
		after := placetest.Render(t, pdf, placetest.DPI)
		if o := placetest.StampOverInk(before, after, 2); o.OverInk > 0 || o.Changed < 2000 {
			t.Errorf("the copy's stamps changed %d pixels, %d of them on the scan's ink (first at %v px); want thousands, none on ink",
				o.Changed, o.OverInk, o.First)
		}
		// The code is random: Tesseract's Vietnamese model reads Times' E
		// as F often enough that an OCR match of it would fail by chance.
		// Its words are read back from the page's text layer instead,
		// exactly, and the label beside it by OCR.
		if text := pdfText(t, pdf, 1); !strings.Contains(text, vcode) {
			t.Errorf("the copy's page 1 text (pdftotext) lacks its code %s:\n%s", vcode, text)
		}
		words := append(append([]string{"SAO Y", defaultAgencyName, "Mã xác thực"}, placetest.AgencyWords...), placetest.MottoWords...)
		text := placetest.OCR(t, after)
		if missing := placetest.MissingWords(text, words...); len(missing) > 0 {
			t.Errorf("the copy's page 1 read back without %q:\n%s", missing, text)
		}
	}
}

// issueCopy issues a sao y of record id and returns the PDF and its
// verification code.
func issueCopy(t *testing.T, b *testBundle, id string) ([]byte, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "copy.pdf")
	code, out, errOut := b.khoso(t, "copy", id, "--form", "sao-y", "--for", "UBND xã An Phước", "-o", path)
	if code != 0 {
		t.Fatalf("copy of %s exited %d: %s%s", id, code, out, errOut)
	}
	pdf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return pdf, strings.TrimSpace(out)
}

// assembled is the PDF of one scanned page as a copy holds it before its
// stamps.
func assembled(t *testing.T, jpg []byte) []byte {
	t.Helper()
	img, err := jpeg.DecodeConfig(bytes.NewReader(jpg))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	page := assemble.Page{Format: scan.JPEG, Data: jpg, Width: img.Width, Height: img.Height, DPIX: 200, DPIY: 200}
	if err := assemble.Write(&buf, []assemble.Page{page}, assemble.Info{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdfText is page n's text as pdftotext extracts it.
func pdfText(t *testing.T, pdf []byte, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
