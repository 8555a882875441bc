package signing_test

import (
	"context"
	"crypto/x509"
	"testing"

	"github.com/khoso-vn/khoso/signing"
)

// margin mirrors the reservation's margin: a quarter of the measured size, at least
// 2 KiB.
func margin(n int) int { return max(n/4, 2<<10) }

// requireTightReservations asserts that every signature of pdf has room for its CMS and
// no more than the margin beyond it.
func requireTightReservations(tb testing.TB, pdf []byte) {
	tb.Helper()
	der, reserved, err := signing.ContentsPadding(pdf)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range der {
		tb.Logf("signature %d: CMS %d bytes, %d reserved", i+1, der[i], reserved[i])
		if reserved[i] < der[i] || reserved[i]-der[i] > margin(der[i])+64 {
			tb.Errorf("signature %d: %d bytes reserved for a CMS of %d, want at most %d more", i+1, reserved[i], der[i], margin(der[i])+64)
		}
	}
}

// TestReservationFromMeasuredSize signs a result as the pipeline does (clerk, agency,
// validation data and a document time-stamp) and checks that no signature reserves
// much more than its CMS needs.
func TestReservationFromMeasuredSize(t *testing.T) {
	t.Parallel()
	b := setupLTV(t)
	in := pdfcpuPDF(t)
	signed := b.signBoth(t, in)
	out, err := b.agency.Archive(context.Background(), signed)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("unsigned %d bytes, result %d bytes", len(in), len(out))
	requireQPDFCheck(t, out)
	requirePDFSigValid(t, nssDB(t, b.dev.CAFile), out, 2)
	verifyOK(t, out, b.roots)
	requireTightReservations(t, out)
}

// TestSignRetriesWhenSignatureDoesNotFit makes the signer believe its signatures are
// tiny: the first CMS does not fit, and the signer must lay out and sign again with room
// for it, for ECDSA and for RSA-3072 (where pdfsign once wrote damaged files).
func TestSignRetriesWhenSignatureDoesNotFit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id, caFile := rsaIdentity(t)
	roots := x509.NewCertPool()
	roots.AddCert(id.Chain[0])
	roots.AddCert(b.dev.CA)
	rsaSigner, err := signing.NewSigner(signing.Config{Identity: id, TSAURL: b.tsaURL, Roots: roots})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		signer *signing.Signer
		roots  *x509.CertPool
		caFile string
	}{"ECDSA": {b.signer, b.roots, b.dev.CAFile}, "RSA-3072": {rsaSigner, roots, caFile}} {
		t.Run(name, func(t *testing.T) {
			signing.SetMeasured(c.signer, 1)
			out, err := c.signer.Sign(context.Background(), minimalPDF(t))
			if err != nil {
				t.Fatal(err)
			}
			der, reserved, err := signing.ContentsPadding(out)
			if err != nil {
				t.Fatal(err)
			}
			if reserved[0] <= 1+margin(1) {
				t.Errorf("CMS of %d bytes in %d reserved: the signer did not lay out again", der[0], reserved[0])
			}
			requireQPDFCheck(t, out)
			requirePDFSigValid(t, nssDB(t, c.caFile), out, 1)
			verifyOK(t, out, c.roots)
			requireTightReservations(t, out)
		})
	}
}
