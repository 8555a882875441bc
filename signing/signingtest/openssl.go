package signingtest

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digitorus/pkcs7"
)

var oidTimeStampToken = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}

// Counts says what [CheckWithOpenSSL] verified.
type Counts struct {
	Signatures          int // CAdES signatures: openssl cms -verify
	SignatureTimestamps int // their time-stamp tokens: openssl ts -verify
	DocumentTimestamps  int // openssl ts -verify over the signed bytes
}

// CheckWithOpenSSL verifies every signature of pdf with OpenSSL, trusting caFile: each
// CAdES signature with `openssl cms -verify -binary -inform DER -content signed.bin
// -CAfile ca.pem -purpose any`, its signature time-stamp token with `openssl ts -verify`
// over the signature value, and each document time-stamp with `openssl ts -verify`
// over the bytes its /ByteRange covers. A failure fails tb.
func CheckWithOpenSSL(tb testing.TB, pdf []byte, caFile string) Counts {
	tb.Helper()
	sigs, err := Signatures(pdf)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	var n Counts
	for i, s := range sigs {
		cms, signed := write(tb, dir, "cms.der", s.CMS), write(tb, dir, "signed.bin", s.Signed)
		if s.DocumentTimestamp {
			openssl(tb, "Verification: OK", "ts", "-verify", "-in", cms, "-token_in", "-data", signed, "-CAfile", caFile)
			n.DocumentTimestamps++
			continue
		}
		openssl(tb, "Verification successful", "cms", "-verify", "-binary", "-inform", "DER", "-in", cms,
			"-content", signed, "-CAfile", caFile, "-purpose", "any", "-out", filepath.Join(dir, "out.bin"))
		n.Signatures++
		p7, err := pkcs7.Parse(s.CMS)
		if err != nil || len(p7.Signers) != 1 {
			tb.Fatalf("signature %d: CMS: %v", i+1, err)
		}
		for _, a := range p7.Signers[0].UnauthenticatedAttributes {
			if a.Type.Equal(oidTimeStampToken) {
				openssl(tb, "Verification: OK", "ts", "-verify", "-in", write(tb, dir, "token.der", a.Value.Bytes), "-token_in",
					"-data", write(tb, dir, "sigvalue.bin", p7.Signers[0].EncryptedDigest), "-CAfile", caFile)
				n.SignatureTimestamps++
			}
		}
	}
	return n
}

// CheckRevocationData checks with OpenSSL that dss holds, for every certificate in it
// that names an OCSP responder, an OCSP response signed for the CA of caFile saying it
// is good (`openssl ocsp -respin`), and for every one that names a CRL distribution
// point, a CRL the CA signed (`openssl crl -CAfile`).
func CheckRevocationData(tb testing.TB, dss *DSS, caFile string) {
	tb.Helper()
	dir := tb.TempDir()
	crlOK := false
	for _, crl := range dss.CRLs {
		out, _ := exec.Command("openssl", "crl", "-inform", "DER", "-in", write(tb, dir, "crl.der", crl), "-CAfile", caFile, "-noout").CombinedOutput()
		if !strings.Contains(string(out), "verify OK") {
			tb.Errorf("a CRL in the DSS does not verify: openssl crl: %s", out)
			continue
		}
		crlOK = true
	}
	for _, der := range dss.Certs {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			tb.Fatal(err)
		}
		if len(c.CRLDistributionPoints) > 0 && !crlOK {
			tb.Errorf("%q names a CRL distribution point, but the DSS holds no valid CRL", c.Subject.CommonName)
		}
		if len(c.OCSPServer) == 0 {
			continue
		}
		leaf := write(tb, dir, "leaf.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
		good := false
		for _, resp := range dss.OCSPs {
			out, _ := exec.Command("openssl", "ocsp", "-respin", write(tb, dir, "resp.der", resp), "-CAfile", caFile,
				"-issuer", caFile, "-cert", leaf).CombinedOutput()
			if good = strings.Contains(string(out), "Response verify OK") && strings.Contains(string(out), leaf+": good"); good {
				break
			}
		}
		if !good {
			tb.Errorf("%q names an OCSP responder, but no OCSP response in the DSS (%d) says it is good", c.Subject.CommonName, len(dss.OCSPs))
		}
	}
}

// openssl runs openssl and fails tb unless its output contains want.
func openssl(tb testing.TB, want string, args ...string) {
	tb.Helper()
	out, err := exec.Command("openssl", args...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), want) {
		tb.Errorf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func write(tb testing.TB, dir, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}
