package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/archivetest"
	"github.com/khoso-vn/khoso/archive/s3/s3test"
	"github.com/khoso-vn/khoso/web"
	"github.com/khoso-vn/khoso/web/webtest"
)

// testBundle is a running server on a temporary data directory.
type testBundle struct {
	logs             *lockedBuffer // the server's log
	data, url, token string
	env              map[string]string // KHOSO_* settings of the backends
	stop             func()
}

// startServer runs the real Main("serve") on data and waits until it
// answers.
func startServer(tb testing.TB, data string, env map[string]string) *testBundle {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	logs := &lockedBuffer{}
	b := &testBundle{data: data, url: "http://" + addr, env: env, logs: logs}
	serveEnv := Env{Getenv: func(k string) string { return env[k] }, Stdout: logs, Stderr: logs}
	go func() { done <- Main(ctx, []string{"serve", "--addr", addr, "--data", data}, serveEnv) }()
	stopped := false
	b.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if code := <-done; code != 0 {
			tb.Errorf("serve exited %d; log:\n%s", code, logs.String())
		}
	}
	tb.Cleanup(b.stop)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(b.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		select {
		case code := <-done:
			tb.Fatalf("serve exited %d before answering; log:\n%s", code, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("server did not answer within a minute; log:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	tok, err := os.ReadFile(filepath.Join(data, "admin.token"))
	if err != nil {
		tb.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(data, "admin.token")); fi.Mode().Perm() != 0o600 {
		tb.Errorf("admin.token mode %v, want 0600", fi.Mode().Perm())
	}
	b.token = strings.TrimSpace(string(tok))
	return b
}

// apiContract is web/openapi.json, loaded once: the API answers these tests
// get are checked against it.
func apiContract(tb testing.TB) *webtest.Contract {
	tb.Helper()
	c, err := loadContract()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

var loadContract = sync.OnceValues(func() (*webtest.Contract, error) { return webtest.New(web.OpenAPI()) })

// khoso runs a client or operator subcommand against b and returns its exit
// code and output.
func (b *testBundle) khoso(tb testing.TB, args ...string) (int, string, string) {
	tb.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
		switch k {
		case "KHOSO_TOKEN":
			return b.token
		case "KHOSO_SERVER":
			return b.url
		case "KHOSO_DATA":
			return b.data
		}
		return b.env[k]
	}}
	code := Main(context.Background(), args, env)
	return code, out.String(), errOut.String()
}

// lockedBuffer is a buffer many goroutines (or a process's stdout and
// stderr) may write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// requireTool fails the test when an independent checker is missing.
func requireTool(tb testing.TB, name, pkg string) {
	tb.Helper()
	if _, err := exec.LookPath(name); err != nil {
		tb.Fatalf("%s is needed to check khoso's output: apt-get install -y %s (or run `make test`, which installs it)", name, pkg)
	}
}

// writeBatch writes permits and a manifest (UTF-8 with BOM, Vietnamese
// headers) into dir; extra rows are appended verbatim.
func writeBatch(tb testing.TB, dir string, permits []permit, extra ...string) string {
	tb.Helper()
	var m strings.Builder
	m.WriteString("\uFEFFTệp,Mã loại giấy tờ,Tên giấy tờ,\"Số, ký hiệu\",Ngày cấp,Cơ quan cấp,Số định danh,Tên chủ hồ sơ,Trích yếu,Thời hạn hiệu lực\n")
	for _, p := range permits {
		writePermitScans(tb, dir, p)
		fmt.Fprintf(&m, "%s,GPMT,Giấy phép môi trường,%s,%s,Bộ Tài nguyên và Môi trường,%s,%s,Xả nước thải vào nguồn nước,31/12/2035\n",
			p.file, p.number, p.issued, p.holderID, p.holder)
	}
	for _, e := range extra {
		m.WriteString(e + "\n")
	}
	path := filepath.Join(dir, "manifest.csv")
	if err := os.WriteFile(path, []byte(m.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// recordLine is one document's line; the row's number and holder follow
// the row in brackets.
var recordLine = regexp.MustCompile(`(?m)^(r[0-9a-z]+)\tdòng/row (\d+)(?: \[([^\]\t]*)\])?\t(\w+)(?:\t(.*))?$`)

// batchLines parses the per-document lines `khoso ingest` prints.
func batchLines(out string) map[int][]string {
	lines := map[int][]string{}
	for _, m := range recordLine.FindAllStringSubmatch(out, -1) {
		row, _ := strconv.Atoi(m[2])
		lines[row] = []string{m[1], m[2], m[4], m[5]}
	}
	return lines
}

// TestEndToEnd runs the whole mission on each backend combination.
func TestEndToEnd(t *testing.T) {
	requireTool(t, "pdfsig", "poppler-utils")
	requireTool(t, "pdfinfo", "poppler-utils")
	requireTool(t, "qpdf", "qpdf")
	requireTool(t, "certutil", "libnss3-tools")
	t.Parallel()
	t.Run("Embedded", func(t *testing.T) {
		t.Parallel()
		data := t.TempDir()
		testEndToEnd(t, data, nil, damage{dir: filepath.Join(data, "blobs")})
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		t.Parallel()
		data := t.TempDir()
		testEndToEnd(t, data, map[string]string{"KHOSO_DATABASE_URL": archivetest.PostgresURL(t)},
			damage{dir: filepath.Join(data, "blobs")})
	})
	t.Run("PostgreSQL+MinIO+replica", func(t *testing.T) {
		requireTool(t, "s3cmd", "s3cmd")
		t.Parallel()
		srv := s3test.StartMinIO(t)
		replica := t.TempDir()
		env := map[string]string{
			"KHOSO_DATABASE_URL":  archivetest.PostgresURL(t),
			"KHOSO_BLOB_URL":      "s3://khoso-results?endpoint=http://" + srv.Endpoint,
			"KHOSO_S3_ACCESS_KEY": srv.AccessKey,
			"KHOSO_S3_SECRET_KEY": srv.SecretKey,
			"KHOSO_REPLICA_URL":   "file://" + replica,
		}
		b := testEndToEnd(t, t.TempDir(), env, damage{dir: replica, copy: "replica"})
		checkWithS3CLI(t, b, srv, "khoso-results")
		checkRetainedResult(t, b, srv, "khoso-results")
	})
}

// damage says where fsck's damage test flips a byte, and which copy fsck
// must then name.
type damage struct {
	dir  string // a localdisk store's root
	copy string // "" or "replica"
}

func testEndToEnd(t *testing.T, data string, env map[string]string, dmg damage) *testBundle {
	b := startServer(t, data, env)

	permits := []permit{
		{file: "gp-001", number: "123/GP-BTNMT", holder: "Nguyễn Văn Đức", holderID: "001088012345", issued: "17/05/2023", pages: 3},
		{file: "gp-002", number: "45/GP-BTNMT", holder: "Trần Thị Bích Ngọc", holderID: "079190004321", issued: "02/11/2021", pages: 2},
		{file: "gp-003", number: "7/GP-BTNMT", holder: "Công ty TNHH Nước sạch Đồng Nai", holderID: "3600259560", issued: "2024-01-09", pages: 4},
	}
	batch := t.TempDir()
	manifest := writeBatch(t, batch, permits)
	start := time.Now()
	code, out, errOut := b.khoso(t, "ingest", batch, "--manifest", manifest, "--wait")
	if code != 0 {
		t.Fatalf("ingest exited %d:\n%s\n%s", code, out, errOut)
	}
	t.Logf("ingested %d documents in %v", len(permits), time.Since(start))
	lines := batchLines(out)
	if len(lines) != len(permits) {
		t.Fatalf("ingest printed %d document lines, want %d:\n%s", len(lines), len(permits), out)
	}
	for row, l := range lines {
		if l[2] != string(archive.StatusAvailable) {
			t.Errorf("row %d: %v, want available", row, l)
		}
	}

	nss := nssWithCA(t, filepath.Join(data, "signing", "ca.pem"))
	for i, p := range permits {
		id := lines[i+2][0]
		pdf := filepath.Join(t.TempDir(), id+".pdf")
		if code, _, errOut := b.khoso(t, "get", id, "-o", pdf); code != 0 {
			t.Fatalf("get %s: %s", id, errOut)
		}
		checkPDF(t, pdf, nss, p.pages, resultSigs)
		if code, out, errOut := b.khoso(t, "verify", pdf); code != 0 || !strings.Contains(out, "this repository holds this exact document") ||
			strings.Count(out, "PAdES level: B-LTA") != 2 || !strings.Contains(out, "Locked the document") {
			t.Errorf("verify %s exited %d:\n%s%s", id, code, out, errOut)
		}
	}

	t.Run("Search", func(t *testing.T) { testSearch(t, b, lines) })
	t.Run("Reindex", func(t *testing.T) {
		code, out, errOut := b.khoso(t, "reindex")
		if code != 0 || !strings.HasPrefix(out, fmt.Sprintf("%d hồ sơ/records", len(permits))) {
			t.Fatalf("reindex exited %d: %s%s", code, out, errOut)
		}
		testSearch(t, b, lines) // the rebuilt index answers the same
	})
	t.Run("NeedsToken", func(t *testing.T) { testNeedsToken(t, b, lines[2][0]) })
	t.Run("Operators", func(t *testing.T) { testOperators(t, b, len(permits)) })
	t.Run("BadInput", func(t *testing.T) { testBadInput(t, b) })
	t.Run("TamperedPDF", func(t *testing.T) { testTampered(t, b, lines[2][0]) })
	t.Run("Fsck", func(t *testing.T) { testFsck(t, b, dmg) })
	if dmg.copy == "" {
		t.Run("DamagedResult", func(t *testing.T) { testDamagedResult(t, b, dmg, lines[3][0]) })
	}

	// Restarting on the same directory keeps everything.
	b.stop()
	b2 := startServer(t, data, env)
	code, out, _ = b2.khoso(t, "search", "--json", "nguyen van duc")
	if code != 0 || !strings.Contains(out, lines[2][0]) {
		t.Fatalf("after restart, search exited %d:\n%s", code, out)
	}
	return b2
}

func testSearch(t *testing.T, b *testBundle, lines map[int][]string) {
	for _, c := range []struct {
		query []string
		want  string
	}{
		{[]string{"nguyen van duc"}, lines[2][0]},
		{[]string{"NGUYỄN VĂN ĐỨC"}, lines[2][0]},
		{[]string{"123/GP-BTNMT"}, lines[2][0]},
		{[]string{"tran thi bich ngoc"}, lines[3][0]},
		{[]string{"dong nai"}, lines[4][0]},
		{[]string{"--holder", "3600259560"}, lines[4][0]},
	} {
		code, out, errOut := b.khoso(t, append([]string{"search", "--json"}, c.query...)...)
		if code != 0 {
			t.Fatalf("search %v exited %d: %s", c.query, code, errOut)
		}
		var recs []archive.Record
		if err := json.Unmarshal([]byte(out), &recs); err != nil {
			t.Fatalf("search %v --json: %v\n%s", c.query, err, out)
		}
		if len(recs) != 1 || recs[0].ID != c.want {
			t.Errorf("search %v found %d records %v, want only %s", c.query, len(recs), ids(recs), c.want)
		}
		if len(recs) == 1 && recs[0].Meta.HolderID == "" {
			t.Errorf("search %v: --json record lacks its metadata: %s", c.query, out)
		}
	}
}

func ids(recs []archive.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

// testBadInput sends a batch with a truncated JPEG page and a row with an
// impossible date: the first fails and the second waits for its metadata,
// each with its reason; the good document goes through.
func testBadInput(t *testing.T, b *testBundle) {
	dir := t.TempDir()
	good := permit{file: "tot", number: "900/GP-BTNMT", holder: "Lê Văn Tám", holderID: "001200000900", issued: "01/02/2022", pages: 2}
	broken := permit{file: "hong", number: "901/GP-BTNMT", holder: "Phạm Thị Hoa", holderID: "001200000901", issued: "03/04/2022", pages: 2}
	manifest := writeBatch(t, dir, []permit{good, broken},
		"tot/trang-1.jpg,GPMT,Giấy phép môi trường,902/GP-BTNMT,31/02/2022,Bộ Tài nguyên và Môi trường,001200000902,Hoàng Văn Nam,,")
	page := filepath.Join(dir, "hong", "trang-2.jpg")
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := b.khoso(t, "ingest", dir, "--manifest", manifest, "--wait")
	if code == 0 {
		t.Fatalf("ingest of a batch with bad documents exited 0:\n%s", out)
	}
	lines := batchLines(out)
	if len(lines) != 3 {
		t.Fatalf("want 3 document lines, got:\n%s\n%s", out, errOut)
	}
	if lines[2][2] != "available" {
		t.Errorf("good document: %v, want available", lines[2])
	}
	if l := lines[3]; l[2] != "failed" || !strings.Contains(l[3], "trang-2.jpg") || !strings.Contains(strings.ToLower(l[3]), "truncated") {
		t.Errorf("truncated page: %v, want failed naming trang-2.jpg as truncated", l)
	}
	if l := lines[4]; l[2] != "needs_metadata" || !strings.Contains(l[3], "waiting for metadata") ||
		!strings.Contains(l[3], "row 4, column Ngày cấp") || !strings.Contains(l[3], "31/02/2022") {
		t.Errorf("bad date row: %v, want needs_metadata naming row 4, column Ngày cấp (the header as written) and the date", l)
	}
	if code != 1 || !strings.Contains(errOut, "1 lỗi/failed, 1 chờ bổ sung thông tin/waiting for metadata") {
		t.Errorf("ingest exited %d, want 1 (a document failed):\n%s", code, errOut)
	}
}

// testTampered changes one byte of a downloaded PDF: verify must fail.
func testTampered(t *testing.T, b *testBundle, id string) {
	pdf := filepath.Join(t.TempDir(), "x.pdf")
	if code, _, errOut := b.khoso(t, "get", id, "-o", pdf); code != 0 {
		t.Fatal(errOut)
	}
	data, _ := os.ReadFile(pdf)
	i := bytes.Index(data, []byte("/MediaBox"))
	if i < 0 {
		t.Fatal("no /MediaBox in PDF")
	}
	data[i+1] = 'N' // "/NediaBox": a change inside the signed range
	os.WriteFile(pdf, data, 0o644)
	code, out, _ := b.khoso(t, "verify", pdf)
	if code == 0 || !strings.Contains(out, "The document is NOT valid") || !strings.Contains(out, "signed bytes were changed") ||
		!strings.Contains(out, "does NOT hold") {
		t.Errorf("verify of tampered PDF exited %d:\n%s", code, out)
	}
}

// testFsck flips one byte of a stored object: fsck must name it and fail.
func testFsck(t *testing.T, b *testBundle, dmg damage) {
	if code, out, errOut := b.khoso(t, "fsck"); code != 0 {
		t.Fatalf("fsck of a healthy archive exited %d:\n%s%s", code, out, errOut)
	}
	var victim string
	filepath.WalkDir(filepath.Join(dmg.dir, "sha256"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && victim == "" {
			victim = p
		}
		return nil
	})
	data, err := os.ReadFile(victim)
	if err != nil {
		t.Fatal(err)
	}
	orig := append([]byte(nil), data...)
	data[len(data)/2] ^= 0x40
	os.WriteFile(victim, data, 0o644)
	defer os.WriteFile(victim, orig, 0o644)
	code, out, _ := b.khoso(t, "fsck")
	if code == 0 || !strings.Contains(out, filepath.Base(victim)) || !strings.Contains(out, "CORRUPT") ||
		!strings.Contains(out, dmg.copy) {
		t.Errorf("fsck after damaging %s exited %d:\n%s", filepath.Base(victim), code, out)
	}
}

// testDamagedResult flips one byte of a stored result: `khoso get` fails
// and writes nothing, and the server counts the damaged object; a deleted
// result is a server fault that says so, not a missing record.
func testDamagedResult(t *testing.T, b *testBundle, dmg damage, id string) {
	var rec archive.Record
	req, _ := http.NewRequest(http.MethodGet, b.url+"/api/v1/records/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(apiContract(t).CheckResponse(t, resp), &rec)
	h := rec.Result.Hex()
	if h == "" {
		t.Fatalf("record %s has no result", id)
	}
	blob := filepath.Join(dmg.dir, "sha256", h[0:2], h[2:4], h)
	orig, err := os.ReadFile(blob)
	if err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile(blob, orig, 0o600)
	data := append([]byte(nil), orig...)
	data[len(data)-100] ^= 0x01
	os.Chmod(blob, 0o600)
	if err := os.WriteFile(blob, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "damaged.pdf")
	code, _, errOut := b.khoso(t, "get", id, "-o", out)
	if _, err := os.Stat(out); code == 0 || err == nil {
		t.Errorf("get of a damaged result exited %d (file written: %v): %s", code, err == nil, errOut)
	}
	os.Remove(blob)
	code, _, errOut = b.khoso(t, "get", id, "-o", out)
	if code == 0 || !strings.Contains(errOut, "HTTP 500") || !strings.Contains(errOut, "damaged or missing") {
		t.Errorf("get of a deleted result exited %d: %s; want a 500 that says the stored file is damaged", code, errOut)
	}
	code, body := getAs(t, b, "/metrics")
	if code != http.StatusOK || !regexp.MustCompile(`khoso_damaged_objects_total\{copy="served"\} [1-9]`).MatchString(body) {
		t.Errorf("/metrics does not count the damaged result: %d", code)
	}
}

// getAs fetches path with the admin's token.
func getAs(t *testing.T, b *testBundle, path string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, b.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// nssWithCA makes an NSS database trusting the development CA, for pdfsig.
func nssWithCA(tb testing.TB, caFile string) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, args := range [][]string{
		{"-N", "-d", "sql:" + dir, "--empty-password"},
		{"-A", "-d", "sql:" + dir, "-n", "khoso-dev-ca", "-t", "CT,C,C", "-i", caFile},
	} {
		if out, err := exec.Command("certutil", args...).CombinedOutput(); err != nil {
			tb.Fatalf("certutil %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// Signatures a signed PDF must carry, as pdfsig types them.
const (
	resultSigs = 2 // the clerk's and the agency's (the document timestamp pdfsig cannot check)
	copySigs   = 1 // the agency's
)

// checkPDF validates a signed PDF with tools we did not write: pdfsig finds
// sigs CAdES signatures, every one valid and trusted (poppler 22.12 lists a
// document timestamp as of unknown type and cannot check it: `khoso
// verify` does), qpdf finds no fault, pdfinfo counts the pages and reads an
// A4 page at 100% scale and PDF 1.4 or later.
func checkPDF(tb testing.TB, pdf, nss string, pages, sigs int) {
	tb.Helper()
	out, _ := exec.Command("pdfsig", "-nssdir", "sql:"+nss, pdf).CombinedOutput()
	cades := 0
	for _, block := range strings.Split(string(out), "Signature #")[1:] {
		if strings.Contains(block, "Signature Type: unknown") {
			continue // a document timestamp (ETSI.RFC3161)
		}
		cades++
		if !strings.Contains(block, "Signature Validation: Signature is Valid.") ||
			!strings.Contains(block, "Certificate Validation: Certificate is Trusted.") {
			tb.Errorf("pdfsig: signature #%s is not valid and trusted", block)
		}
	}
	if cades != sigs {
		tb.Errorf("pdfsig: %d signatures, want %d:\n%s", cades, sigs, out)
	}
	if out, err := exec.Command("qpdf", "--check", pdf).CombinedOutput(); err != nil || strings.Contains(string(out), "WARNING") {
		tb.Errorf("qpdf --check %s: %v\n%s", pdf, err, out)
	}
	out, err := exec.Command("pdfinfo", pdf).CombinedOutput()
	if err != nil {
		tb.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	if m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out); m == nil || string(m[1]) != strconv.Itoa(pages) {
		tb.Errorf("pdfinfo: pages %q, want %d", m, pages)
	}
	m := regexp.MustCompile(`(?m)^PDF version:\s+1\.(\d)`).FindSubmatch(out)
	if v, _ := strconv.Atoi(string(m[1])); m == nil || v < 4 {
		tb.Errorf("pdfinfo: PDF version %q, want ≥ 1.4", m)
	}
	if meta, _ := exec.Command("pdfinfo", "-meta", pdf).Output(); sigs == resultSigs && !bytes.Contains(meta, []byte("<pdfaid:part>2</pdfaid:part>")) {
		tb.Errorf("pdfinfo -meta: no PDF/A-2 identification in the XMP metadata")
	}
	if !regexp.MustCompile(`Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)`).Match(out) {
		tb.Errorf("pdfinfo: page is not A4 at 100%% scale:\n%s", out)
	}
}

// testNeedsToken: without a valid token the API answers 401 and the client
// says why.
func testNeedsToken(t *testing.T, b *testBundle, id string) {
	for _, path := range []string{"/api/v1/search?q=duc", "/api/v1/records/" + id + "/pdf", "/api/v1/batches/x"} {
		for _, auth := range []string{"", "Bearer wrong"} {
			req, _ := http.NewRequest(http.MethodGet, b.url+path, nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			apiContract(t).CheckResponse(t, resp)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("GET %s with %q: %d, want 401", path, auth, resp.StatusCode)
			}
		}
	}
	// The API's description needs no token either.
	resp, err := http.Get(b.url + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if apiContract(t).CheckResponse(t, resp); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /api/v1/openapi.json without a token: %d, want 200", resp.StatusCode)
	}
	nb := *b
	nb.token = ""
	if code, _, errOut := nb.khoso(t, "get", id, "-o", filepath.Join(t.TempDir(), "x.pdf")); code == 0 || !strings.Contains(errOut, "KHOSO_TOKEN") {
		t.Errorf("get without a token exited %d: %s", code, errOut)
	}
}

// testOperators: /readyz answers, /metrics counts the documents each stage
// completed, the queue UI is for admins only.
func testOperators(t *testing.T, b *testBundle, docs int) {
	get := func(path, user, pass string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, b.url+path, nil)
		if pass != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get("/readyz", "", ""); code != http.StatusOK {
		t.Errorf("/readyz: %d %s", code, body)
	}
	if code, _ := get("/metrics", "", ""); code != http.StatusUnauthorized {
		t.Errorf("/metrics without a token: %d, want 401", code)
	}
	code, body := get("/metrics", "admin", b.token)
	if code != http.StatusOK {
		t.Fatalf("/metrics as admin: %d", code)
	}
	for _, stage := range []string{"normalise", "assemble", "sign", "store", "index"} {
		m := regexp.MustCompile(`khoso_stage_documents_total\{outcome="ok",stage="` + stage + `"\} (\d+)`).FindStringSubmatch(body)
		if m == nil {
			t.Errorf("/metrics has no documents completed by %s", stage)
		} else if n, _ := strconv.Atoi(m[1]); n < docs {
			t.Errorf("/metrics: %s completed %v documents, want ≥ %d", stage, m, docs)
		}
	}
	if !strings.Contains(body, `khoso_stage_pages_total{stage="assemble"}`) || !strings.Contains(body, "khoso_stage_duration_seconds_bucket") {
		t.Errorf("/metrics lacks page counts or stage latency")
	}
	if code, _ := get("/riverui/", "", ""); code != http.StatusUnauthorized {
		t.Errorf("queue UI without a token: %d, want 401", code)
	}
	if code, body := get("/riverui/", "admin", b.token); code != http.StatusOK || !strings.Contains(body, "<html") {
		t.Errorf("queue UI as admin: %d %.200s", code, body)
	}
}

// checkWithS3CLI lists the bucket and fetches each record's signed PDF with
// s3cmd, a client we did not write: each object's SHA-256 must be its name
// and the record's result.
func checkWithS3CLI(t *testing.T, b *testBundle, srv s3test.Server, bucket string) {
	cfg := filepath.Join(t.TempDir(), "s3cfg")
	os.WriteFile(cfg, []byte(fmt.Sprintf("[default]\naccess_key = %s\nsecret_key = %s\nhost_base = %s\n"+
		"host_bucket = %s\nuse_https = False\nsignature_v2 = False\n", srv.AccessKey, srv.SecretKey, srv.Endpoint, srv.Endpoint)), 0o600)
	s3cmd := func(args ...string) string {
		out, err := exec.Command("s3cmd", append([]string{"-c", cfg}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("s3cmd %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	listing := s3cmd("ls", "-r", "s3://"+bucket+"/")
	code, out, errOut := b.khoso(t, "search", "--json", "--limit", "100")
	if code != 0 {
		t.Fatalf("search: %s", errOut)
	}
	var recs []archive.Record
	if err := json.Unmarshal([]byte(out), &recs); err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		t.Fatal("no records to check")
	}
	for _, r := range recs {
		key := "sha256/" + r.Result.Hex()
		if !strings.Contains(listing, key) {
			t.Errorf("s3cmd ls does not list %s:\n%s", key, listing)
			continue
		}
		dst := filepath.Join(t.TempDir(), "got.pdf")
		s3cmd("get", "s3://"+bucket+"/"+key, dst)
		if sum, _ := fileSHA256(dst); sum != r.Result.Hex() {
			t.Errorf("object %s fetched by s3cmd hashes to %s", key, sum)
		}
	}
	t.Logf("s3cmd listed and fetched %d signed results; SHA-256 matches the catalog", len(recs))
}

// checkRetainedResult: someone with the bucket's keys deletes a result
// (a delete marker) and overwrites it with other bytes; khoso still serves
// the issued bytes, read by their recorded version, and the retained
// version itself cannot be deleted.
func checkRetainedResult(t *testing.T, b *testBundle, srv s3test.Server, bucket string) {
	code, out, _ := b.khoso(t, "search", "--json", "nguyen van duc")
	var recs []archive.Record
	if code != 0 || json.Unmarshal([]byte(out), &recs) != nil || len(recs) != 1 {
		t.Fatalf("search: %d %s", code, out)
	}
	r := recs[0]
	if r.ResultVersion == "" {
		t.Fatalf("record %s has no result version on S3", r.ID)
	}
	ctx := context.Background()
	mc := srv.Client(t)
	key := "sha256/" + r.Result.Hex()
	if _, err := mc.PutObject(ctx, bucket, key, strings.NewReader("forged"), 6, minio.PutObjectOptions{}); err != nil {
		t.Fatalf("overwrite: %v", err)
	}
	if err := mc.RemoveObject(ctx, bucket, key, minio.RemoveObjectOptions{}); err != nil {
		t.Fatalf("delete marker: %v", err)
	}
	if err := mc.RemoveObject(ctx, bucket, key, minio.RemoveObjectOptions{VersionID: r.ResultVersion}); err == nil {
		t.Errorf("deleting the retained version %s succeeded", r.ResultVersion)
	}
	pdf := filepath.Join(t.TempDir(), "kept.pdf")
	if code, _, errOut := b.khoso(t, "get", r.ID, "-o", pdf); code != 0 {
		t.Fatalf("get after delete marker and overwrite: %s", errOut)
	}
	if sum, _ := fileSHA256(pdf); sum != r.Result.Hex() {
		t.Errorf("after overwrite and delete marker, get returned bytes hashing to %s, want %s", sum, r.Result.Hex())
	}
}

// TestLostIndexRebuiltAtStart: a server whose search index is gone (or of
// an older layout) rebuilds it from the catalog when it starts, and finds
// what it found before, without anyone running khoso reindex.
func TestLostIndexRebuiltAtStart(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	b := startServer(t, data, nil)
	dir := t.TempDir()
	manifest := writeBatch(t, dir, []permit{{file: "gp-7", number: "7/GP-BTNMT", holder: "Phan Văn Khải",
		holderID: "001077000007", issued: "07/07/2021", pages: 1}})
	if code, out, errOut := b.khoso(t, "ingest", dir, "--manifest", manifest, "--wait"); code != 0 {
		t.Fatalf("ingest exited %d:\n%s%s", code, out, errOut)
	}
	b.stop()
	if err := os.RemoveAll(filepath.Join(data, "index")); err != nil {
		t.Fatal(err)
	}
	b2 := startServer(t, data, nil)
	if !strings.Contains(b2.logs.String(), "rebuilding it from the catalog") {
		t.Errorf("the server did not say it rebuilds the index:\n%s", b2.logs.String())
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		code, out, _ := b2.khoso(t, "search", "phan van khai")
		if code == 0 && strings.Contains(out, "7/GP-BTNMT") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a minute after start, search finds: %d %s\n%s", code, out, b2.logs.String())
		}
	}
}
