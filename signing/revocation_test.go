package signing_test

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/signing"
	"github.com/khoso-vn/khoso/signing/signingtest"
)

// revocationBundle is a development PKI whose certificates name an OCSP responder and a
// CRL, both served by signing.RevocationServer, with a clerk and the agency.
type revocationBundle struct {
	*ltvBundle
	rev *signing.RevocationServer
	dir string
}

func setupRevocation(tb testing.TB) *revocationBundle {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	dev, err := signing.EnsureDevelopmentPKI(signing.DevConfig{Dir: dir, AgencyName: "Sở Xây dựng Hà Nội",
		RevocationURL: "http://" + ln.Addr().String()})
	if err != nil {
		tb.Fatal(err)
	}
	rev, err := signing.NewRevocationServer(dev, nil)
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: rev}
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	b := setupWith(tb, dev)
	clerkID, err := signing.IssueDevelopmentPerson(dev, "Nguyễn Thị Hương", time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	clerk, err := signing.NewSigner(signing.Config{Identity: clerkID, TSAURL: b.tsaURL})
	if err != nil {
		tb.Fatal(err)
	}
	return &revocationBundle{ltvBundle: &ltvBundle{dev: dev, roots: b.roots, clerk: clerk, agency: b.signer, clerkID: clerkID},
		rev: rev, dir: dir}
}

func TestDevelopmentCertificatesNameRevocation(t *testing.T) {
	t.Parallel()
	b := setupRevocation(t)
	for name, c := range map[string]*x509.Certificate{"agency": b.dev.Agency.Certificate, "TSA": b.dev.TSA.Certificate,
		"clerk": b.clerkID.Certificate} {
		if !slices.Equal(c.OCSPServer, []string{b.dev.OCSPURL}) || !slices.Equal(c.CRLDistributionPoints, []string{b.dev.CRLURL}) ||
			!strings.HasSuffix(b.dev.OCSPURL, "/ocsp") {
			t.Errorf("%s names OCSP %v and CRL %v, want %s and %s", name, c.OCSPServer, c.CRLDistributionPoints, b.dev.OCSPURL, b.dev.CRLURL)
		}
	}
}

// TestArchiveEmbedsRevocationData: the DSS holds an OCSP response (checked by openssl
// ocsp) and a CRL (checked by openssl crl) for every certificate that names them, and
// a VRI entry, keyed by the SHA-1 of its /Contents, for each signature it validates.
func TestArchiveEmbedsRevocationData(t *testing.T) {
	t.Parallel()
	requireTool(t, "openssl", "openssl")
	b := setupRevocation(t)
	archived, err := b.agency.Archive(context.Background(), b.signBoth(t, minimalPDF(t)))
	if err != nil {
		t.Fatal(err)
	}
	renewed, err := b.agency.Archive(context.Background(), archived)
	if err != nil {
		t.Fatal(err)
	}
	requirePDFSigValid(t, nssDB(t, b.dev.CAFile), renewed, 2)
	r := verifyOK(t, renewed, b.roots)
	if r.Signatures[0].Level != signing.LevelBLTA || r.Signatures[1].Level != signing.LevelBLTA {
		t.Errorf("levels %q %q, want B-LTA", r.Signatures[0].Level, r.Signatures[1].Level)
	}
	dss, err := signingtest.ReadDSS(renewed)
	if err != nil {
		t.Fatal(err)
	}
	signingtest.CheckRevocationData(t, dss, b.dev.CAFile)
	if n := signingtest.CheckWithOpenSSL(t, renewed, b.dev.CAFile); n != (signingtest.Counts{Signatures: 2, SignatureTimestamps: 2, DocumentTimestamps: 2}) {
		t.Errorf("openssl checked %+v", n)
	}
	sigs, err := signingtest.Signatures(renewed)
	if err != nil {
		t.Fatal(err)
	}
	// The clerk's, the agency's and the first document time-stamp have VRI entries;
	// the last document time-stamp came after the last DSS.
	if len(sigs) != 4 {
		t.Fatalf("%d signatures, want 4", len(sigs))
	}
	for i, s := range sigs[:3] {
		v, ok := dss.VRI[s.VRIKey]
		if !ok {
			t.Errorf("signature %d: no VRI entry %s (have %v)", i+1, s.VRIKey, keys(dss.VRI))
			continue
		}
		if len(v.Certs) == 0 || len(v.OCSPs) == 0 || len(v.CRLs) == 0 {
			t.Errorf("signature %d: VRI entry with %d certificates, %d OCSP responses, %d CRLs", i+1, len(v.Certs), len(v.OCSPs), len(v.CRLs))
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRevokedAgencyIsRefusedByOCSP(t *testing.T) {
	t.Parallel()
	b := setupRevocation(t)
	signed := b.signBoth(t, minimalPDF(t))
	b.rev.Revoke(b.dev.Agency.Certificate.SerialNumber, time.Now().Add(-time.Minute))
	_, err := b.agency.AddValidationData(context.Background(), signed)
	if !errors.Is(err, signing.ErrRevocation) || !strings.Contains(err.Error(), "revoked") {
		t.Fatalf("validation data for a revoked agency certificate: %v, want ErrRevocation", err)
	}
}

// TestOldIdentityGetsRevocationURLs: an identity made without revocation URLs gets new
// agency and TSA certificates naming them, for the same keys and CA.
func TestOldIdentityGetsRevocationURLs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old, err := signing.EnsureDevelopmentIdentity(dir, "Sở Tư pháp", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(old.Agency.Certificate.OCSPServer) != 0 {
		t.Fatal("identity without RevocationURL names an OCSP responder")
	}
	cfg := signing.DevConfig{Dir: dir, AgencyName: "Sở Tư pháp", RevocationURL: "http://127.0.0.1:1"}
	dev, err := signing.EnsureDevelopmentPKI(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for name, pair := range map[string][2]*signing.Identity{"agency": {old.Agency, dev.Agency}, "TSA": {old.TSA, dev.TSA}} {
		o, n := pair[0], pair[1]
		if !slices.Equal(n.Certificate.OCSPServer, []string{"http://127.0.0.1:1/ocsp"}) ||
			!slices.Equal(n.Certificate.CRLDistributionPoints, []string{"http://127.0.0.1:1/ca.crl"}) {
			t.Errorf("%s: OCSP %v CRL %v", name, n.Certificate.OCSPServer, n.Certificate.CRLDistributionPoints)
		}
		if !n.Certificate.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(o.Certificate.PublicKey) ||
			n.Certificate.CheckSignatureFrom(old.CA) != nil || n.Certificate.Subject.String() != o.Certificate.Subject.String() {
			t.Errorf("%s: reissued certificate changed key, subject or issuer", name)
		}
	}
	again, err := signing.EnsureDevelopmentPKI(cfg)
	if err != nil || !again.Agency.Certificate.Equal(dev.Agency.Certificate) {
		t.Errorf("loading again: %v, or the certificate changed", err)
	}
}
