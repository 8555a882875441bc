package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/web"
)

// TestClerkReview: on the embedded server, a batch with a good row and a
// row dated 31/02: the good one becomes available; the other waits for its
// metadata with its reason and its thumbnails served. A clerk completes it
// through the API; it becomes available with a valid signed PDF. A
// correction with a reason is then listed and found by search.
func TestClerkReview(t *testing.T) {
	requireTool(t, "pdfsig", "poppler-utils")
	requireTool(t, "pdfinfo", "poppler-utils")
	requireTool(t, "qpdf", "qpdf")
	requireTool(t, "certutil", "libnss3-tools")
	t.Parallel()
	data := t.TempDir()
	b := startServer(t, data, nil)
	dir := t.TempDir()
	bad := permit{file: "sai-ngay", number: "55/GP-BTNMT", holder: "Đỗ Thị Lan", holderID: "001200000055", pages: 2}
	writePermitScans(t, dir, bad)
	manifest := writeBatch(t, dir, []permit{{file: "dung", number: "54/GP-BTNMT", holder: "Lý Văn Minh",
		holderID: "001200000054", issued: "10/03/2023", pages: 1}},
		"sai-ngay,GPMT,Giấy phép môi trường,55/GP-BTNMT,31/02/2023,Bộ Tài nguyên và Môi trường,001200000055,Đỗ Thị Lan,Xả nước thải vào nguồn nước,31/12/2035")
	code, out, errOut := b.khoso(t, "ingest", dir, "--manifest", manifest, "--wait")
	lines := batchLines(out)
	if code != 3 || len(lines) != 2 {
		t.Fatalf("ingest exited %d (want 3: a document waits for metadata):\n%s\n%s", code, out, errOut)
	}
	if l := lines[2]; l[2] != "available" {
		t.Errorf("good row: %v", l)
	}
	l := lines[3]
	if l[2] != "needs_metadata" || !strings.Contains(l[3], "row 3, column Ngày cấp") || !strings.Contains(l[3], "31/02/2023") {
		t.Fatalf("bad date row: %v, want needs_metadata naming row 3, column Ngày cấp", l)
	}
	if !strings.Contains(errOut, "1 chờ bổ sung thông tin/waiting for metadata") {
		t.Errorf("ingest summary does not count the waiting document:\n%s", errOut)
	}
	id := l[0]

	var rec web.RecordView
	b.api(t, http.MethodGet, "/api/v1/records/"+id, nil, http.StatusOK, &rec)
	if rec.Status != archive.StatusNeedsMetadata || rec.ReasonField != "issued_on" || len(rec.Pages) != 2 || rec.Result != "" {
		t.Fatalf("waiting record: %+v", rec.Record)
	}
	for _, n := range []string{"1", "2"} {
		for _, view := range []string{"thumb", "preview"} {
			body, ctype := b.get(t, "/api/v1/records/"+id+"/pages/"+n+"/"+view)
			if ctype != "image/jpeg" || !bytes.HasPrefix(body, []byte{0xff, 0xd8}) {
				t.Errorf("page %s %s: %s, %d bytes", n, view, ctype, len(body))
			}
		}
	}

	m := rec.Meta
	m.IssuedOn = time.Date(2023, 2, 28, 0, 0, 0, 0, time.UTC)
	b.api(t, http.MethodPut, "/api/v1/records/"+id+"/metadata", web.MetadataUpdate{Metadata: m}, http.StatusOK, &rec)
	deadline := time.Now().Add(90 * time.Second)
	for rec.Status != archive.StatusAvailable {
		if rec.Status == archive.StatusFailed || time.Now().After(deadline) {
			t.Fatalf("completed record is %s %q", rec.Status, rec.Reason)
		}
		time.Sleep(200 * time.Millisecond)
		b.api(t, http.MethodGet, "/api/v1/records/"+id, nil, http.StatusOK, &rec)
	}
	if !rec.Meta.IssuedOn.Equal(m.IssuedOn) || rec.Reason != "" || rec.ReasonField != "" ||
		rec.Meta.ValidUntil.Format("02/01/2006") != "31/12/2035" {
		t.Errorf("available record: %+v", rec.Record)
	}
	pdf := filepath.Join(t.TempDir(), id+".pdf")
	if code, _, errOut := b.khoso(t, "get", id, "-o", pdf); code != 0 {
		t.Fatalf("get %s: %s", id, errOut)
	}
	checkPDF(t, pdf, nssWithCA(t, filepath.Join(data, "signing", "ca.pem")), bad.pages, resultSigs)

	m = rec.Meta
	m.Number = "56/GP-BTNMT"
	b.api(t, http.MethodPut, "/api/v1/records/"+id+"/metadata", web.MetadataUpdate{Metadata: m}, http.StatusBadRequest, nil)
	b.api(t, http.MethodPut, "/api/v1/records/"+id+"/metadata",
		web.MetadataUpdate{Metadata: m, Reason: "Nhập sai số ký hiệu"}, http.StatusOK, &rec)
	var cs []archive.Correction
	b.api(t, http.MethodGet, "/api/v1/records/"+id+"/corrections", nil, http.StatusOK, &cs)
	if len(cs) != 1 || cs[0].Reason != "Nhập sai số ký hiệu" || cs[0].Before.Number != "55/GP-BTNMT" ||
		cs[0].After.Number != "56/GP-BTNMT" || cs[0].Seq != 1 {
		t.Fatalf("corrections: %+v", cs)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		code, out, errOut := b.khoso(t, "search", "--json", "56/GP-BTNMT")
		var found []archive.Record
		if code == 0 && json.Unmarshal([]byte(out), &found) == nil && len(found) == 1 && found[0].ID == id {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("search for the corrected number: %d %s %s", code, out, errOut)
		}
	}
}

// api sends a JSON request with the admin's token, checks the answer
// against web/openapi.json and its status, and decodes it into v.
func (b *testBundle) api(tb testing.TB, method, path string, body any, status int, v any) {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, b.url+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	out := apiContract(tb).CheckResponse(tb, resp)
	if resp.StatusCode != status {
		tb.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, status, out)
	}
	if v != nil {
		reflect.ValueOf(v).Elem().SetZero() // fields the answer omits are empty
		if err := json.Unmarshal(out, v); err != nil {
			tb.Fatalf("%s %s: %v\n%s", method, path, err, out)
		}
	}
}

// get fetches path with the admin's token and returns the body and its
// content type.
func (b *testBundle) get(tb testing.TB, path string) ([]byte, string) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	return body, resp.Header.Get("Content-Type")
}
