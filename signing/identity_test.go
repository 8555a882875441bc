package signing_test

import (
	"crypto/x509"
	"encoding/asn1"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gopkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/khoso-vn/khoso/signing"
)

func TestEnsureDevelopmentIdentityCreatesThenLoads(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Now()
	first, err := signing.EnsureDevelopmentIdentity(dir, "Sở Tư pháp", now)
	if err != nil {
		t.Fatal(err)
	}
	second, err := signing.EnsureDevelopmentIdentity(dir, "Sở Tư pháp", now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for name, pair := range map[string][2]*x509.Certificate{
		"CA":     {first.CA, second.CA},
		"agency": {first.Agency.Certificate, second.Agency.Certificate},
		"TSA":    {first.TSA.Certificate, second.TSA.Certificate},
	} {
		if !pair[0].Equal(pair[1]) {
			t.Errorf("%s certificate changed between calls", name)
		}
	}
	if first.CAFile != filepath.Join(dir, "ca.pem") {
		t.Errorf("CAFile = %q", first.CAFile)
	}
	for _, name := range []string{"ca-key.pem", "agency-key.pem", "tsa-key.pem"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want 0600", name, err, fi.Mode().Perm())
		}
	}
}

func TestDevelopmentCertificates(t *testing.T) {
	t.Parallel()
	dev, err := signing.EnsureDevelopmentIdentity(t.TempDir(), "Sở Tư pháp", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if dev.CA.Subject.CommonName != "khoso DEVELOPMENT CA - not for production use" || !dev.CA.IsCA {
		t.Errorf("CA %q, IsCA %t", dev.CA.Subject.CommonName, dev.CA.IsCA)
	}
	agency := dev.Agency.Certificate
	if agency.Subject.CommonName != "Sở Tư pháp (DEVELOPMENT)" {
		t.Errorf("agency CN %q", agency.Subject.CommonName)
	}
	if agency.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment {
		t.Errorf("agency key usage %b", agency.KeyUsage)
	}
	if !slices.Contains(agency.ExtKeyUsage, x509.ExtKeyUsageEmailProtection) || !slices.Contains(agency.ExtKeyUsage, x509.ExtKeyUsageClientAuth) {
		t.Errorf("agency extended key usage %v", agency.ExtKeyUsage)
	}
	tsa := dev.TSA.Certificate
	if !strings.Contains(tsa.Subject.CommonName, "DEVELOPMENT") || !slices.Equal(tsa.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}) {
		t.Errorf("TSA %q with extended key usage %v", tsa.Subject.CommonName, tsa.ExtKeyUsage)
	}
	critical := false
	for _, e := range tsa.Extensions {
		critical = critical || e.Id.Equal(asn1.ObjectIdentifier{2, 5, 29, 37}) && e.Critical
	}
	if !critical {
		t.Error("TSA extended key usage is not critical")
	}
	roots := x509.NewCertPool()
	roots.AddCert(dev.CA)
	for name, c := range map[string]*x509.Certificate{"agency": agency, "TSA": tsa} {
		if _, err := c.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			t.Errorf("%s does not chain to the CA: %v", name, err)
		}
	}
}

func TestEnsureDevelopmentIdentityRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Now()
	if _, err := signing.EnsureDevelopmentIdentity(dir, "Sở Tư pháp", now); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"other agency": func() error { _, err := signing.EnsureDevelopmentIdentity(dir, "Sở Y tế", now); return err },
		"expired": func() error {
			_, err := signing.EnsureDevelopmentIdentity(dir, "Sở Tư pháp", now.AddDate(20, 0, 0))
			return err
		},
		"no name": func() error { _, err := signing.EnsureDevelopmentIdentity(t.TempDir(), " ", now); return err },
	} {
		if err := call(); err == nil || !strings.HasPrefix(err.Error(), "signing: development identity: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func TestLoadPKCS12(t *testing.T) {
	t.Parallel()
	dev, err := signing.EnsureDevelopmentIdentity(t.TempDir(), "Sở Tư pháp", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for name, enc := range map[string]*gopkcs12.Encoder{"modern": gopkcs12.Modern, "legacy": gopkcs12.LegacyDES} {
		p12, err := enc.Encode(dev.Agency.Signer, dev.Agency.Certificate, []*x509.Certificate{dev.TSA.Certificate, dev.CA}, "mật khẩu")
		if err != nil {
			t.Fatal(err)
		}
		id, err := signing.LoadPKCS12(p12, "mật khẩu")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !id.Certificate.Equal(dev.Agency.Certificate) || len(id.Chain) != 1 || !id.Chain[0].Equal(dev.CA) {
			t.Errorf("%s: loaded %q with a chain of %d, want the agency with [CA]", name, id.Certificate.Subject.CommonName, len(id.Chain))
		}
		if _, err := signing.LoadPKCS12(p12, "sai"); err == nil || !strings.HasPrefix(err.Error(), "signing: load pkcs12: ") {
			t.Errorf("%s: wrong password gave %v", name, err)
		}
	}
}
