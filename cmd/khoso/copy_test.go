package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/signing/stamp/place/placetest"
)

// TestCopy: a handler issues an extract (trích sao) of page 2; the copy
// validates with pdfsig and qpdf, shows the form, agency and time, its QR
// code decodes (zbarimg, 150 dpi) to the verification URL with the
// record's fields, and /verify/{code} tells the issued file from a changed
// one.
func TestCopy(t *testing.T) {
	requireTool(t, "pdftoppm", "poppler-utils")
	requireTool(t, "pdftotext", "poppler-utils")
	t.Parallel()
	a := setupAccess(t)
	handler := *a.testBundle
	handler.token = a.tokens["handlerA"]
	pdf := filepath.Join(t.TempDir(), "copy.pdf")
	code, out, errOut := handler.khoso(t, "copy", a.record, "--form", "trich-sao", "--pages", "2",
		"--for", "UBND phường Bến Nghé", "--purpose", "hồ sơ xin phép xây dựng", "-o", pdf)
	if code != 0 {
		t.Fatalf("copy exited %d: %s%s", code, out, errOut)
	}
	vcode := strings.TrimSpace(out)
	if !regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`).MatchString(vcode) {
		t.Fatalf("verification code %q", vcode)
	}
	checkPDF(t, pdf, nssWithCA(t, filepath.Join(a.data, "signing", "ca.pem")), 1, copySigs)
	text, _ := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	for _, want := range []string{"TRÍCH SAO", defaultAgencyName, "Mã xác thực:", vcode} {
		if !strings.Contains(string(text), want) {
			t.Errorf("copy text lacks %q:\n%s", want, text)
		}
	}
	if !regexp.MustCompile(`\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \+07:00`).Match(text) {
		t.Errorf("copy text lacks the time as dd/mm/yyyy hh:mm:ss +07:00:\n%s", text)
	}
	payload := decodeQR(t, pdf)
	qu, err := url.Parse(payload)
	if err != nil || !strings.HasPrefix(payload, a.url+"/verify/"+vcode+"?") {
		t.Errorf("QR payload %q: want the verification URL %s/verify/%s first", payload, a.url, vcode)
	}
	for k, want := range map[string]string{"dd": "001088012345", "ten": "Giấy phép môi trường", "so": "88/GP-BTNMT", "ht": "khoso"} {
		if got := qu.Query().Get(k); got != want {
			t.Errorf("QR payload field %s = %q, want %q:\n%s", k, got, want, payload)
		}
	}
	if qu.Query().Get("hl") == "" {
		t.Errorf("QR payload has no validity (hl):\n%s", payload)
	}

	// The public page resolves the code without a login.
	resp, err := http.Get(a.url + "/verify/" + vcode)
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, resp)
	sum, _ := fileSHA256(pdf)
	if resp.StatusCode != 200 || !strings.Contains(page, "88/GP-BTNMT") || !strings.Contains(page, sum) ||
		!strings.Contains(page, "TRÍCH SAO") || strings.Contains(page, "Nguyễn Văn Đức") {
		t.Errorf("/verify/%s: %d (must show the document and SHA-256, not the holder's name)\n%s", vcode, resp.StatusCode, page)
	}
	data, _ := os.ReadFile(pdf)
	if got := uploadVerify(t, a.url, vcode, data); !strings.Contains(got, `data-verdict="genuine"`) {
		t.Errorf("uploading the issued copy: %s", got)
	}
	changed := bytes.Replace(data, []byte("/MediaBox"), []byte("/NediaBox"), 1)
	if got := uploadVerify(t, a.url, vcode, changed); !strings.Contains(got, "KHÔNG ĐÚNG") {
		t.Errorf("uploading a changed copy: %s", got)
	}
	if resp, _ := http.Get(a.url + "/verify/AAAA-BBBB-CCCC"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown code: %d, want 404", resp.StatusCode)
	}

	// Who may list and fetch copies: handlers and admins within scope, and
	// the citizen who holds the record.
	for _, path := range []string{"/api/v1/records/" + a.record + "/copies", "/api/v1/copies/" + vcode + "/pdf"} {
		a.expect(t, "GET", path, nil, map[string]int{"admin2": 200, "handlerA": 200, "handlerB": 404, "own": 200, "other": 404})
	}
	// Who may issue: handlers and admins, within scope.
	a.expect(t, "POST", "/api/v1/records/"+a.record+"/copies", map[string]string{"form": "sao-y", "for": "x"},
		map[string]int{"admin2": 201, "handlerA": 201, "handlerB": 404})
}

// TestVerifyPageRateLimit: guessing codes is throttled per address.
func TestVerifyPageRateLimit(t *testing.T) {
	t.Parallel()
	b := startServer(t, t.TempDir(), nil)
	limited := false
	for i := 0; i < 40 && !limited; i++ {
		resp, err := http.Get(b.url + "/verify/AAAA-BBBB-" + strings.Repeat("C", 4))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		limited = resp.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Fatal("40 quick lookups of codes were all answered; want 429 after the burst")
	}
}

func uploadVerify(t *testing.T, base, code string, data []byte) string {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "copy.pdf")
	fw.Write(data)
	mw.Close()
	resp, err := http.Post(base+"/verify/"+code, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	return readAll(t, resp)
}

func readAll(t *testing.T, resp *http.Response) string {
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return b.String()
}

// decodeQR renders page 1 at 150 dpi with poppler and reads its QR code
// with zbarimg.
func decodeQR(t *testing.T, pdf string) string {
	requireTool(t, "zbarimg", "zbar-tools")
	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	return placetest.ZBar(t, placetest.Render(t, data, 150))
}
