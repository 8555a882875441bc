package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/archivetest"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
	"github.com/khoso-vn/khoso/signing/stamp/place/placetest"
	"github.com/khoso-vn/khoso/web"
)

// TestResultCodes: a batch of five documents, two in each of two dossiers
// and one in none, gets the result codes <dossier>-KQ01, -KQ02 and
// <agency>-<year>-000001. A result's code is in its PDF's XMP (pdfinfo
// -meta); a copy's verification page shows it and its QR code carries it
// (zbarimg); `khoso search` finds the record by it, typed with or without
// its separators, and by its result type. On SQLite and on PostgreSQL.
func TestResultCodes(t *testing.T) {
	requireTool(t, "pdfinfo", "poppler-utils")
	requireTool(t, "zbarimg", "zbar-tools")
	t.Parallel()
	t.Run("Embedded", func(t *testing.T) { t.Parallel(); testResultCodes(t, nil) })
	t.Run("PostgreSQL", func(t *testing.T) {
		t.Parallel()
		testResultCodes(t, map[string]string{"KHOSO_DATABASE_URL": archivetest.PostgresURL(t)})
	})
}

func testResultCodes(t *testing.T, env map[string]string) {
	b := startServer(t, t.TempDir(), env)
	dir := t.TempDir()
	scanJPEG := scantest.WithJFIF(scantest.JPEG(t, placetest.Permit(t, 22), 90), scantest.UnitsDPI, 200, 200)
	var m strings.Builder
	m.WriteString("Tệp,Tên giấy tờ,Số ký hiệu,Ngày cấp,Cơ quan cấp,Số định danh,Mã hồ sơ,Mã kết quả\n")
	dossiers := []string{"000.00.12.H01-260101-0001", "000.00.12.H01-260101-0002", "000.00.12.H01-260101-0001", "", "000.00.12.H01-260101-0002"}
	for i, d := range dossiers {
		name := fmt.Sprintf("p%d.jpg", i+1)
		if err := os.WriteFile(filepath.Join(dir, name), scanJPEG, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&m, "%s,Giấy phép khai thác nước,%d/GP-UBND,12/03/2021,UBND tỉnh Đồng Nai,00108801234%d,%s,KQ.G15.00003%d\n",
			name, 100+i, i, d, i%2)
	}
	manifest := filepath.Join(dir, "manifest.csv")
	if err := os.WriteFile(manifest, []byte(m.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := b.khoso(t, "ingest", dir, "--manifest", manifest, "--wait")
	if code != 0 {
		t.Fatalf("ingest exited %d:\n%s\n%s", code, out, errOut)
	}
	lines := batchLines(out)
	if len(lines) != 5 {
		t.Fatalf("ingest printed %d document lines, want 5:\n%s", len(lines), out)
	}
	recs := make([]web.RecordView, 5)
	for i := range recs {
		line := lines[i+2]
		if line[2] != string(archive.StatusAvailable) {
			t.Fatalf("row %d is %s, want available", i+2, line[2])
		}
		recs[i] = recordView(t, b, line[0])
	}
	agency := recs[3].Agency
	if agency == "" {
		agency = archive.NoAgencyCode
	}
	year := time.Now().In(archive.Vietnam).Year()
	want := []string{"000.00.12.H01-260101-0001-KQ01", "000.00.12.H01-260101-0002-KQ01", "000.00.12.H01-260101-0001-KQ02",
		fmt.Sprintf("%s-%d-000001", agency, year), "000.00.12.H01-260101-0002-KQ02"}
	for i, r := range recs {
		if r.ResultCode != want[i] || r.Meta.ResultTypeCode != fmt.Sprintf("KQ.G15.00003%d", i%2) {
			t.Errorf("row %d: result code %q, result type %q; want %s, KQ.G15.00003%d", i+2, r.ResultCode, r.Meta.ResultTypeCode, want[i], i%2)
		}
	}

	// The result's PDF and a copy of it carry the code.
	r := recs[2]
	pdfPath := filepath.Join(t.TempDir(), "result.pdf")
	if code, _, errOut := b.khoso(t, "get", r.ID, "-o", pdfPath); code != 0 {
		t.Fatalf("get: %s", errOut)
	}
	meta, err := exec.Command("pdfinfo", "-meta", pdfPath).Output()
	if err != nil || !strings.Contains(string(meta), "<khoso:ResultCode>"+r.ResultCode+"</khoso:ResultCode>") {
		t.Errorf("pdfinfo -meta of the result (%v) lacks its result code %s:\n%s", err, r.ResultCode, meta)
	}
	// The QR code carries hs and KQ<nn> of a dossier's result, the whole
	// code of another.
	copyPDF, vcode := issueCopy(t, b, r.ID)
	payload := placetest.ZBar(t, placetest.Render(t, copyPDF, 150))
	if u, err := url.Parse(payload); err != nil || u.Query().Get("kq") != "KQ02" || u.Query().Get("hs") != r.Meta.DossierCode ||
		u.Query().Get("hs")+"-"+u.Query().Get("kq") != r.ResultCode {
		t.Errorf("the copy's QR code %q: want hs=%s and kq=KQ02", payload, r.Meta.DossierCode)
	}
	other, _ := issueCopy(t, b, recs[3].ID)
	payload = placetest.ZBar(t, placetest.Render(t, other, 150))
	if u, err := url.Parse(payload); err != nil || u.Query().Get("kq") != recs[3].ResultCode || u.Query().Has("hs") {
		t.Errorf("the QR code of a copy of a record without dossier %q: want kq=%s and no hs", payload, recs[3].ResultCode)
	}
	resp, err := http.Get(b.url + "/verify/" + vcode)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<td id="result-code"><code>`+r.ResultCode+`</code></td>`) {
		t.Errorf("verification page %d lacks the result code %s:\n%s", resp.StatusCode, r.ResultCode, page)
	}

	// Search by the code, as written and without separators, and by type.
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{r.ResultCode}, []string{r.ID}},
		{[]string{"0000012h012601010001kq02"}, []string{r.ID}},
		{[]string{want[3]}, []string{recs[3].ID}},
		{[]string{"--result-type", "KQ.G15.000031"}, []string{recs[1].ID, recs[3].ID}},
	} {
		code, out, errOut := b.khoso(t, append([]string{"search", "--json"}, c.args...)...)
		if code != 0 {
			t.Fatalf("search %q: %s", c.args, errOut)
		}
		var found []archive.Record
		if err := json.Unmarshal([]byte(out), &found); err != nil {
			t.Fatalf("search %q: %v\n%s", c.args, err, out)
		}
		got := ids(found)
		sort.Strings(got)
		sort.Strings(c.want)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("search %q found %v, want %v", c.args, got, c.want)
		}
	}
}

// recordView is the record id as the JSON API returns it.
func recordView(t *testing.T, b *testBundle, id string) web.RecordView {
	t.Helper()
	code, body := getAs(t, b, "/api/v1/records/"+id)
	var r web.RecordView
	if err := json.Unmarshal([]byte(body), &r); code != http.StatusOK || err != nil {
		t.Fatalf("GET record %s: %d %v\n%s", id, code, err, body)
	}
	return r
}
