package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/digitorus/pdf"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/signing/signingtest"
)

// TestCopyIsArchival: a certified copy is kept like a result. pdfinfo finds
// its XMP metadata, which says PDF/A-2b and carries the copy's own fields and
// creation time; OpenSSL verifies its signature, the signature's time-stamp
// and the document time-stamp; pdfsig validates it; and the DSS of the copy
// and of the result hold an OCSP response and a CRL for every certificate
// that names them (checked with openssl ocsp and openssl crl), with a VRI
// entry for each signature.
func TestCopyIsArchival(t *testing.T) {
	requireTool(t, "openssl", "openssl")
	t.Parallel()
	a := setupAccess(t)
	ca := filepath.Join(a.data, "signing", "ca.pem")
	handler := *a.testBundle
	handler.token = a.tokens["handlerA"]
	pdf := filepath.Join(t.TempDir(), "copy.pdf")
	code, out, errOut := handler.khoso(t, "copy", a.record, "--form", "sao-y", "--for", "UBND phường Bến Nghé", "-o", pdf)
	if code != 0 {
		t.Fatalf("copy exited %d: %s%s", code, out, errOut)
	}
	vcode := strings.TrimSpace(out)
	checkPDF(t, pdf, nssWithCA(t, ca), 2, copySigs)

	info, _ := exec.Command("pdfinfo", pdf).Output()
	if !regexp.MustCompile(`(?m)^Metadata Stream:\s+yes`).Match(info) {
		t.Errorf("pdfinfo: no metadata stream:\n%s", info)
	}
	meta, _ := exec.Command("pdfinfo", "-meta", pdf).Output()
	for _, want := range []string{"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
		"<khoso:VerificationCode>" + vcode + "</khoso:VerificationCode>", "<khoso:CopyForm>sao-y</khoso:CopyForm>",
		"<khoso:ResultCode>" + recordView(t, a.testBundle, a.record).ResultCode + "</khoso:ResultCode>", "<khoso:DocumentNumber>88/GP-BTNMT</khoso:DocumentNumber>"} {
		if !strings.Contains(string(meta), want) {
			t.Errorf("copy metadata lacks %s:\n%s", want, meta)
		}
	}
	if s := outputIntent(t, pdf); s != "GTS_PDFA1" {
		t.Errorf("copy output intent %q, want GTS_PDFA1", s)
	}
	issued := copyIssuedAt(t, a, vcode)
	m := regexp.MustCompile(`<xmp:CreateDate>([^<]+)</xmp:CreateDate>`).FindSubmatch(meta)
	if created, err := time.Parse(time.RFC3339, string(m[1])); m == nil || err != nil || !created.Equal(issued.Truncate(time.Second)) {
		t.Errorf("XMP CreateDate %q, want the copy's issue time %s", m, issued)
	}

	data, _ := os.ReadFile(pdf)
	if n := signingtest.CheckWithOpenSSL(t, data, ca); n != (signingtest.Counts{Signatures: 1, SignatureTimestamps: 1, DocumentTimestamps: 1}) {
		t.Errorf("copy: openssl checked %+v, want the agency's signature, its time-stamp and a document time-stamp", n)
	}
	checkDSS(t, "copy", data, ca, 1)

	result := filepath.Join(t.TempDir(), "result.pdf")
	if code, _, errOut := a.khoso(t, "get", a.record, "-o", result); code != 0 {
		t.Fatalf("get: %s", errOut)
	}
	data, _ = os.ReadFile(result)
	if n := signingtest.CheckWithOpenSSL(t, data, ca); n != (signingtest.Counts{Signatures: 2, SignatureTimestamps: 2, DocumentTimestamps: 1}) {
		t.Errorf("result: openssl checked %+v", n)
	}
	checkDSS(t, "result", data, ca, 2)
}

// checkDSS checks the revocation data of pdf's DSS and that each of its first
// n signatures (those the DSS came after) has a VRI entry with an OCSP
// response and a CRL.
func checkDSS(t *testing.T, what string, pdf []byte, ca string, n int) {
	t.Helper()
	dss, err := signingtest.ReadDSS(pdf)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if len(dss.OCSPs) == 0 || len(dss.CRLs) == 0 {
		t.Errorf("%s: DSS holds %d OCSP responses and %d CRLs", what, len(dss.OCSPs), len(dss.CRLs))
	}
	signingtest.CheckRevocationData(t, dss, ca)
	sigs, err := signingtest.Signatures(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sigs[:n] {
		if v, ok := dss.VRI[s.VRIKey]; !ok || len(v.OCSPs) == 0 || len(v.CRLs) == 0 || len(v.Certs) == 0 {
			t.Errorf("%s: signature %d: VRI entry %s: %+v, %t", what, i+1, s.VRIKey, v, ok)
		}
	}
}

// outputIntent returns the /S of the first output intent of pdf's catalog.
func outputIntent(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	r, err := pdf.NewReader(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	return r.Trailer().Key("Root").Key("OutputIntents").Index(0).Key("S").Name()
}

// copyIssuedAt returns when the copy with code was issued, from the API.
func copyIssuedAt(t *testing.T, a *accessBundle, code string) time.Time {
	t.Helper()
	status, body := a.call(t, "handlerA", "GET", "/api/v1/records/"+a.record+"/copies", nil)
	var list struct {
		Copies []archive.Copy `json:"copies"`
	}
	var plain []archive.Copy
	if json.Unmarshal([]byte(body), &list) != nil || len(list.Copies) == 0 {
		if err := json.Unmarshal([]byte(body), &plain); err != nil {
			t.Fatalf("copies: %d %s", status, body)
		}
		list.Copies = plain
	}
	for _, c := range list.Copies {
		if c.Code == code {
			return c.IssuedAt
		}
	}
	t.Fatalf("copy %s not listed: %s", code, body)
	return time.Time{}
}

// TestRenewedCopyVerifies: a copy renewed with a new document time-stamp (the
// server restarted with a renewal margin longer than the TSA certificate's
// life, so that the renewal at start renews everything) is a new file; both
// it and the file first issued verify as genuine at /verify/{code}, and a
// changed one does not. The restart also proves the revocation URLs in the
// development certificates keep working.
func TestRenewedCopyVerifies(t *testing.T) {
	requireTool(t, "openssl", "openssl")
	t.Parallel()
	a := setupAccess(t)
	ca := filepath.Join(a.data, "signing", "ca.pem")
	status, body := a.call(t, "handlerA", "POST", "/api/v1/records/"+a.record+"/copies",
		map[string]string{"form": "sao-y", "for": "UBND phường Bến Nghé"})
	var cp archive.Copy
	if err := json.Unmarshal([]byte(body), &cp); status != 201 || err != nil || cp.Code == "" {
		t.Fatalf("issue copy: %d %s", status, body)
	}
	_, original := a.call(t, "handlerA", "GET", "/api/v1/copies/"+cp.Code+"/pdf", nil)

	a.stop()
	a.testBundle = startServer(t, a.data, map[string]string{"KHOSO_RENEW_MARGIN": "87600h"})
	var renewed string
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if _, renewed = a.call(t, "handlerA", "GET", "/api/v1/copies/"+cp.Code+"/pdf", nil); renewed != original {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the copy was not renewed; log:\n%s", a.logs.String())
		}
	}
	if n := signingtest.CheckWithOpenSSL(t, []byte(renewed), ca); n.DocumentTimestamps != 2 || n.Signatures != 1 {
		t.Errorf("renewed copy: openssl checked %+v, want 1 signature and 2 document time-stamps", n)
	}
	checkDSS(t, "renewed copy", []byte(renewed), ca, 2)
	for name, data := range map[string]string{"original": original, "renewed": renewed} {
		if got := uploadVerify(t, a.url, cp.Code, []byte(data)); !strings.Contains(got, `data-verdict="genuine"`) {
			t.Errorf("uploading the %s copy: %s", name, got)
		}
	}
	changed := strings.Replace(renewed, "/MediaBox", "/NediaBox", 1)
	if got := uploadVerify(t, a.url, cp.Code, []byte(changed)); !strings.Contains(got, "KHÔNG ĐÚNG") {
		t.Errorf("uploading a changed renewed copy: %s", got)
	}
}
