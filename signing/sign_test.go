package signing_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/digitorus/pdf"

	"github.com/khoso-vn/khoso/signing"
)

func TestSignValidForPdfsigQpdfAndVerify(t *testing.T) {
	t.Parallel()
	for name, input := range map[string]func(testing.TB) []byte{
		"hand-written xref table": minimalPDF,
		"pdfcpu scanned page":     pdfcpuPDF,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			out := b.sign(t, input(t))

			requirePDFSigValid(t, nssDB(t, b.dev.CAFile), out, 1)
			requireQPDFCheck(t, out)
			if !bytes.Contains(out, []byte("/SubFilter /ETSI.CAdES.detached")) || bytes.Contains(out, []byte("adbe.pkcs7")) {
				t.Error("signature dictionary is not ETSI.CAdES.detached")
			}

			r := verifyOK(t, out, b.roots)
			s := r.Signatures[0]
			if s.Signer != "Sở Xây dựng Hà Nội (DEVELOPMENT)" || s.Organisation != "Sở Xây dựng Hà Nội" {
				t.Errorf("signer %q of %q", s.Signer, s.Organisation)
			}
			if !s.Timestamped || time.Since(s.TimestampTime) > time.Minute || !s.CoversWholeFile {
				t.Errorf("signature %+v: want time-stamped now and covering the whole file", s)
			}
			if s.SigningTime.IsZero() || s.SigningTime.Sub(s.TimestampTime).Abs() > 2*time.Second {
				t.Errorf("claimed signing time %v, time-stamp %v", s.SigningTime, s.TimestampTime)
			}
		})
	}
}

// verifyOK runs Verify and requires a valid report.
func verifyOK(tb testing.TB, pdf []byte, roots *x509.CertPool) *signing.Report {
	tb.Helper()
	r, err := signing.Verify(pdf, roots)
	if err != nil {
		tb.Fatal(err)
	}
	if !r.Valid {
		tb.Fatalf("report not valid: %+v", r)
	}
	return r
}

func TestSignatureDictionaryEntries(t *testing.T) {
	t.Parallel()
	b := setup(t)
	signer, err := signing.NewSigner(signing.Config{
		Identity:    b.dev.Agency,
		TSAURL:      b.tsaURL,
		Name:        "Nguyễn Văn Nghĩa (Ĩ)",
		Location:    "Hà Nội",
		ContactInfo: "vanthu@example.gov.vn",
		Clock:       func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := signer.Sign(context.Background(), minimalPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	requireQPDFCheck(t, out)
	rdr, err := pdf.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	v := rdr.Trailer().Key("Root").Key("AcroForm").Key("Fields").Index(0).Key("V")
	for key, want := range map[string]string{
		"Name":        "Nguyễn Văn Nghĩa (Ĩ)",
		"Location":    "Hà Nội",
		"Reason":      signing.DefaultReason,
		"ContactInfo": "vanthu@example.gov.vn",
		"M":           "D:20260304050607Z",
	} {
		if got := v.Key(key).Text(); got != want {
			t.Errorf("/%s = %q, want %q", key, got, want)
		}
	}
	if got := verifyOK(t, out, b.roots).Signatures[0].SigningTime; !got.Equal(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)) {
		t.Errorf("SigningTime = %v", got)
	}
}

func TestChangedByteInvalidates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	out := b.sign(t, minimalPDF(t))
	i := bytes.Index(out, []byte("Giay phep"))
	out[i] = 'g' // inside the first byte range
	r, err := signing.Verify(out, b.roots)
	if err != nil {
		t.Fatal(err)
	}
	if r.Valid || r.Signatures[0].Valid || !strings.Contains(r.Signatures[0].Problem, "changed") {
		t.Fatalf("tampered document reported as %+v", r)
	}
	if got := pdfsig(t, nssDB(t, b.dev.CAFile), out); strings.Contains(got, "Signature is Valid.") {
		t.Fatalf("pdfsig accepts the tampered document:\n%s", got)
	}
}

func TestChangedByteAfterContentsInvalidates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	out := b.sign(t, minimalPDF(t))
	i := bytes.LastIndex(out, []byte("startxref"))
	out[i] = 'S' // inside the second byte range
	r, err := signing.Verify(out, b.roots)
	if err != nil {
		t.Fatal(err)
	}
	if r.Valid || r.Signatures[0].Valid {
		t.Fatalf("tampered document reported as %+v", r)
	}
}

func TestAppendedBytesAreNotCovered(t *testing.T) {
	t.Parallel()
	b := setup(t)
	out := append(b.sign(t, minimalPDF(t)), "\n% appended later\n"...)
	r, err := signing.Verify(out, b.roots)
	if err != nil {
		t.Fatal(err)
	}
	s := r.Signatures[0]
	if r.Valid || s.CoversWholeFile || !s.Valid {
		t.Fatalf("want a valid signature that no longer covers the file, got %+v", r)
	}
}

func TestClerkThenAgencyBothValid(t *testing.T) {
	t.Parallel()
	clerk := setupAgency(t, "Văn thư Bộ Xây dựng")
	agency := setup(t)
	roots := x509.NewCertPool()
	roots.AddCert(clerk.dev.CA)
	roots.AddCert(agency.dev.CA)

	once := clerk.sign(t, pdfcpuPDF(t))
	twice := agency.sign(t, once)

	// pdfsig (poppler 22.12) reports "Unknown issue with Certificate" when one
	// certificate makes two signatures in a file, with pdfsign alone too; the product
	// signs with two certificates, as here.
	requirePDFSigValid(t, nssDB(t, clerk.dev.CAFile, agency.dev.CAFile), twice, 2)
	requireQPDFCheck(t, twice)
	r := verifyOK(t, twice, roots)
	if len(r.Signatures) != 2 || r.Signatures[0].CoversWholeFile || !r.Signatures[1].CoversWholeFile {
		t.Fatalf("want two signatures, the last covering the file: %+v", r)
	}
	if r.Signatures[0].Signer != "Văn thư Bộ Xây dựng (DEVELOPMENT)" || r.Signatures[1].Signer != "Sở Xây dựng Hà Nội (DEVELOPMENT)" {
		t.Errorf("signers %q then %q", r.Signatures[0].Signer, r.Signatures[1].Signer)
	}
}

func TestSignFailsWithinTSATimeout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client leaving
		select {                           // never answers
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hung.Close)
	t.Cleanup(func() { close(release) }) // runs before hung.Close
	signer, err := signing.NewSigner(signing.Config{Identity: b.dev.Agency, TSAURL: hung.URL, TSATimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := signer.Sign(context.Background(), minimalPDF(t))
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Sign took %v with a 200ms TSA timeout", elapsed)
	}
	if out != nil || !errors.Is(err, signing.ErrTimestamp) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Sign = %d bytes, %v; want ErrTimestamp and DeadlineExceeded", len(out), err)
	}
}

func TestSignHonoursCallerContext(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.signer.Sign(ctx, minimalPDF(t)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sign with a cancelled context: %v", err)
	}
}

func TestSignRejectsTSAErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	t.Cleanup(broken.Close)
	signer, err := signing.NewSigner(signing.Config{Identity: b.dev.Agency, TSAURL: broken.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signer.Sign(context.Background(), minimalPDF(t)); !errors.Is(err, signing.ErrTimestamp) || !strings.Contains(err.Error(), "503") {
		t.Fatalf("Sign against a failing TSA: %v", err)
	}
}

func TestNotPDF(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for name, input := range map[string][]byte{
		"empty":        nil,
		"text":         []byte("Giấy phép xây dựng"),
		"PNG":          []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		"header only":  []byte("%PDF-1.7\n"),
		"truncated":    minimalPDF(t)[:200],
		"no xref left": bytes.ReplaceAll(minimalPDF(t), []byte("startxref"), []byte("startxreF")),
	} {
		if _, err := b.signer.Sign(context.Background(), input); !errors.Is(err, signing.ErrNotPDF) {
			t.Errorf("%s: Sign error %v, want ErrNotPDF", name, err)
		}
	}
	for _, input := range [][]byte{nil, []byte("hello"), []byte("\x89PNG\r\n")} {
		if _, err := signing.Verify(input, b.roots); !errors.Is(err, signing.ErrNotPDF) || !strings.Contains(err.Error(), "not a PDF") {
			t.Errorf("Verify(%q) error %v, want ErrNotPDF", input, err)
		}
	}
}

func TestVerifyUnsignedAndUntrusted(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r, err := signing.Verify(minimalPDF(t), b.roots)
	if err != nil {
		t.Fatal(err)
	}
	if r.Valid || len(r.Signatures) != 0 || r.Problem != "no signatures" {
		t.Fatalf("unsigned document: %+v", r)
	}

	other := setupAgency(t, "Another agency")
	r, err = signing.Verify(b.sign(t, minimalPDF(t)), other.roots)
	if err != nil {
		t.Fatal(err)
	}
	if r.Valid || !strings.Contains(r.Signatures[0].Problem, "unknown authority") || !strings.Contains(r.Signatures[0].Problem, "TSA certificate is not trusted") {
		t.Fatalf("signature from an untrusted CA: %+v", r)
	}
}

func TestNewSignerConfigErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	noRoot := *b.dev.Agency
	noRoot.Chain = nil
	for name, cfg := range map[string]signing.Config{
		"no identity":  {TSAURL: b.tsaURL},
		"no TSA":       {Identity: b.dev.Agency},
		"relative TSA": {Identity: b.dev.Agency, TSAURL: "/tsa"},
		"no root":      {Identity: &noRoot, TSAURL: b.tsaURL},
		"key mismatch": {Identity: &signing.Identity{Signer: b.dev.TSA.Signer, Certificate: b.dev.Agency.Certificate}, TSAURL: b.tsaURL},
		"wrong chain":  {Identity: &signing.Identity{Signer: b.dev.Agency.Signer, Certificate: b.dev.Agency.Certificate, Chain: []*x509.Certificate{b.dev.TSA.Certificate}}, TSAURL: b.tsaURL},
	} {
		if _, err := signing.NewSigner(cfg); err == nil || !strings.HasPrefix(err.Error(), "signing: new signer: config: ") {
			t.Errorf("%s: NewSigner error %v", name, err)
		}
	}
}

func TestCheckRejectsDoubledOutput(t *testing.T) {
	t.Parallel()
	// When its first size estimate is short, pdfsign v0.9.0 signs again and writes the
	// file twice into the same writer, without an error. Sign must refuse such output.
	b := setup(t)
	in := minimalPDF(t)
	out := b.sign(t, in)
	if err := signing.CheckOutput(out, in, b.roots); err != nil {
		t.Fatalf("good output rejected: %v", err)
	}
	doubled := append(append([]byte{}, out...), out...)
	if err := signing.CheckOutput(doubled, in, b.roots); !errors.Is(err, signing.ErrDamagedOutput) {
		t.Fatalf("doubled output: %v, want ErrDamagedOutput", err)
	}
	if err := signing.CheckOutput(out[:len(out)-10], in, b.roots); !errors.Is(err, signing.ErrDamagedOutput) {
		t.Fatalf("truncated output: %v, want ErrDamagedOutput", err)
	}
}

func TestSignWithRSA3072Key(t *testing.T) {
	t.Parallel()
	// RSA-3072 is the case where pdfsign v0.9.0 alone can write a damaged file.
	b := setup(t)
	id, caFile := rsaIdentity(t)
	roots := x509.NewCertPool()
	roots.AddCert(id.Chain[0])
	roots.AddCert(b.dev.CA) // for the TSA
	signer, err := signing.NewSigner(signing.Config{Identity: id, TSAURL: b.tsaURL, Roots: roots})
	if err != nil {
		t.Fatal(err)
	}
	out, err := signer.Sign(context.Background(), minimalPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	requirePDFSigValid(t, nssDB(t, caFile), out, 1)
	requireQPDFCheck(t, out)
	verifyOK(t, out, roots)
}

func TestSignConcurrently(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in := pdfcpuPDF(t)
	errs := make(chan error, 8)
	for range cap(errs) {
		go func() {
			out, err := b.signer.Sign(context.Background(), in)
			if err == nil {
				_, err = signing.Verify(out, b.roots)
			}
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
