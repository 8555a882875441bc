package signing_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/big"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/khoso-vn/khoso/signing"
	"github.com/khoso-vn/khoso/signing/signingtest"
)

// testBundle is a development PKI, a TSA serving it, and a signer for the agency.
type testBundle struct {
	dev    *signing.DevIdentity
	tsaURL string
	roots  *x509.CertPool
	signer *signing.Signer
}

func setup(tb testing.TB) *testBundle {
	tb.Helper()
	return setupAgency(tb, "Sở Xây dựng Hà Nội")
}

func setupAgency(tb testing.TB, agency string) *testBundle {
	tb.Helper()
	dev, err := signing.EnsureDevelopmentIdentity(tb.TempDir(), agency, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return setupWith(tb, dev)
}

// setupWith serves a TSA for dev and makes the agency's signer.
func setupWith(tb testing.TB, dev *signing.DevIdentity) *testBundle {
	tb.Helper()
	tsa, err := signing.NewTSA(dev.TSA, nil)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(tsa)
	tb.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AddCert(dev.CA)
	signer, err := signing.NewSigner(signing.Config{Identity: dev.Agency, TSAURL: srv.URL, Location: "Hà Nội"})
	if err != nil {
		tb.Fatal(err)
	}
	return &testBundle{dev: dev, tsaURL: srv.URL, roots: roots, signer: signer}
}

func (b *testBundle) sign(tb testing.TB, pdf []byte) []byte {
	tb.Helper()
	out, err := b.signer.Sign(context.Background(), pdf)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// minimalPDF is a hand-written one-page PDF 1.4 with a classic cross-reference table.
func minimalPDF(tb testing.TB) []byte {
	return signingtest.MinimalPDF("Giay phep xay dung - khoso test")
}

// pdfcpuPDF is a scanned-page PDF as the product makes it: a JPEG imported by pdfcpu.
func pdfcpuPDF(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewGray(image.Rect(0, 0, 200, 280))
	for y := range 280 {
		for x := range 200 {
			img.SetGray(x, y, color.Gray{Y: uint8(255 - (x+y)%64)})
		}
	}
	var jpg, out bytes.Buffer
	if err := jpeg.Encode(&jpg, img, nil); err != nil {
		tb.Fatal(err)
	}
	api.DisableConfigDir()
	if err := api.ImportImages(nil, &out, []io.Reader{&jpg}, nil, nil); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// requireTool fails the test when a validator is missing: these checks must run.
func requireTool(tb testing.TB, name, pkg string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		tb.Fatalf("%s is required for this test: apt-get install -y %s", name, pkg)
	}
	return path
}

// nssDB returns an NSS database directory trusting the given CA certificate files.
func nssDB(tb testing.TB, caFiles ...string) string {
	tb.Helper()
	certutil := requireTool(tb, "certutil", "libnss3-tools")
	dir := tb.TempDir()
	run(tb, certutil, "-N", "-d", "sql:"+dir, "--empty-password")
	for i, f := range caFiles {
		run(tb, certutil, "-A", "-d", "sql:"+dir, "-n", fmt.Sprintf("khoso-dev-ca-%d", i), "-t", "CT,C,C", "-i", f)
	}
	return dir
}

func run(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// runAllowFail runs a command and returns its combined output and error.
func runAllowFail(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).CombinedOutput()
	return string(out), err
}

// writeTemp writes pdf to a file in a temporary directory.
func writeTemp(tb testing.TB, pdf []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// pdfsig runs poppler's pdfsig on pdf with the NSS database db and returns its output.
// pdfsig exits non-zero for invalid signatures, so the exit status is not checked.
func pdfsig(tb testing.TB, db string, pdf []byte) string {
	tb.Helper()
	bin := requireTool(tb, "pdfsig", "poppler-utils")
	out, _ := exec.Command(bin, "-nssdir", "sql:"+db, writeTemp(tb, pdf)).CombinedOutput()
	return string(out)
}

// requirePDFSigValid asserts that pdfsig finds n signatures, all valid and trusted.
func requirePDFSigValid(tb testing.TB, db string, pdf []byte, n int) {
	tb.Helper()
	out := pdfsig(tb, db, pdf)
	if got := strings.Count(out, "Signature is Valid."); got != n {
		tb.Fatalf("pdfsig: %d valid signatures, want %d:\n%s", got, n, out)
	}
	if got := strings.Count(out, "Certificate is Trusted."); got != n {
		tb.Fatalf("pdfsig: %d trusted certificates, want %d:\n%s", got, n, out)
	}
}

// requireQPDFCheck asserts that qpdf --check accepts pdf.
func requireQPDFCheck(tb testing.TB, pdf []byte) {
	tb.Helper()
	bin := requireTool(tb, "qpdf", "qpdf")
	out, err := exec.Command(bin, "--check", writeTemp(tb, pdf)).CombinedOutput()
	if err != nil {
		tb.Fatalf("qpdf --check: %v\n%s", err, out)
	}
}

// rsaIdentity returns an RSA-3072 identity issued by its own RSA-3072 CA, and the
// CA certificate's PEM file.
func rsaIdentity(tb testing.TB) (*signing.Identity, string) {
	tb.Helper()
	caKey, err := rsa.GenerateKey(rand.Reader, 3072)
	if err != nil {
		tb.Fatal(err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 3072)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "khoso test RSA CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		tb.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Sở Tài chính (RSA test)", Organization: []string{"Sở Tài chính"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, key.Public(), caKey)
	if err != nil {
		tb.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(leafDER)
	caFile := filepath.Join(tb.TempDir(), "rsa-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o644); err != nil {
		tb.Fatal(err)
	}
	return &signing.Identity{Signer: key, Certificate: leaf, Chain: []*x509.Certificate{ca}}, caFile
}
