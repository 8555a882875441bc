package main

import (
	"crypto"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ThalesGroup/crypto11"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/khoso-vn/khoso/signing"
)

// TestProductionKeys runs khoso serve with production key settings: the
// agency's key in a PKCS#11 token (SoftHSM2), its chain and trust anchors
// from PEM files, the clerk's personal key from a PKCS#12 file in
// KHOSO_CLERK_KEYS, and an external TSA. The results validate with pdfsig.
func TestProductionKeys(t *testing.T) {
	requireTool(t, "softhsm2-util", "softhsm2")
	requireTool(t, "pdfsig", "poppler-utils")
	dir := t.TempDir()
	pki, err := signing.EnsureDevelopmentIdentity(filepath.Join(dir, "pki"), "Test PKI", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tokens := filepath.Join(dir, "tokens")
	os.Mkdir(tokens, 0o700)
	conf := filepath.Join(dir, "softhsm2.conf")
	os.WriteFile(conf, []byte("directories.tokendir = "+tokens+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600)
	t.Setenv("SOFTHSM2_CONF", conf)
	if out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", "khoso-agency",
		"--pin", "246810", "--so-pin", "13579").CombinedOutput(); err != nil {
		t.Fatalf("softhsm2-util: %v\n%s", err, out)
	}
	tokenKey(t, pki)
	writePEM(t, filepath.Join(dir, "chain.pem"), pki.CA)
	clerkP12(t, pki, filepath.Join(dir, "clerks"), "Lê Thị Hoa")
	tsaHandler, err := signing.NewTSA(pki.TSA, nil)
	if err != nil {
		t.Fatal(err)
	}
	tsa := httptest.NewServer(tsaHandler)
	defer tsa.Close()

	env := map[string]string{
		"KHOSO_SIGNING_KEY":          "pkcs11:token=khoso-agency;object=agency?module-path=" + signing.DefaultPKCS11Module,
		"KHOSO_SIGNING_KEY_PASSWORD": "246810",
		"KHOSO_SIGNING_CHAIN":        filepath.Join(dir, "chain.pem"),
		"KHOSO_TRUST_ANCHORS":        filepath.Join(dir, "chain.pem"),
		"KHOSO_TSA_URL":              tsa.URL,
		"KHOSO_CLERK_KEYS":           filepath.Join(dir, "clerks"),
		"KHOSO_CLERK_KEY_PASSWORD":   "clerk-secret",
		"KHOSO_AGENCY_NAME":          "Sở Tài nguyên và Môi trường thành phố Hà Nội",
	}
	b := startServer(t, t.TempDir(), env)
	code, out, errOut := b.khoso(t, "user", "add", "--role", "clerk", "--name", "Lê Thị Hoa", "--agency", "STNMT-HN")
	if code != 0 {
		t.Fatal(errOut)
	}
	b.token = strings.TrimSpace(out)
	batch := t.TempDir()
	manifest := writeBatch(t, batch, []permit{{file: "a", number: "5/GP-STNMT", holder: "Phan Văn Khải",
		holderID: "001055000001", issued: "09/09/2019", pages: 2}})
	code, out, errOut = b.khoso(t, "ingest", batch, "--manifest", manifest)
	if !strings.HasPrefix(out, "batch ") {
		t.Fatalf("ingest exited %d:\n%s%s", code, out, errOut)
	}
	batchID := strings.Fields(out)[1]
	deadline := time.Now().Add(time.Minute)
	for !batchState(t, b.url, b.token, batchID).Batch.Done() {
		if time.Now().After(deadline) {
			t.Fatalf("batch not done in a minute; server log:\n%s", b.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	code, out, errOut = b.khoso(t, "batch", batchID)
	lines := batchLines(out)
	if code != 0 || len(lines) != 1 {
		t.Fatalf("batch %s: exit %d:\n%s%s\nserver log:\n%s", batchID, code, out, errOut, b.logs)
	}
	pdf := filepath.Join(t.TempDir(), "r.pdf")
	if code, _, errOut := b.khoso(t, "get", lines[2][0], "-o", pdf); code != 0 {
		t.Fatal(errOut)
	}
	checkPDF(t, pdf, nssWithCA(t, filepath.Join(dir, "chain.pem")), 2, resultSigs)
	sig, _ := exec.Command("pdfsig", pdf).CombinedOutput()
	for _, who := range []string{"Lê Thị Hoa", "Agency in a token"} {
		if !strings.Contains(string(sig), who) {
			t.Errorf("pdfsig does not name signer %q:\n%s", who, sig)
		}
	}
}

// tokenKey makes an ECDSA P-256 key inside the token and stores its
// certificate, issued by pki's CA, beside it.
func tokenKey(t *testing.T, pki *signing.DevIdentity) {
	ctx, err := crypto11.Configure(&crypto11.Config{Path: signing.DefaultPKCS11Module, TokenLabel: "khoso-agency", Pin: "246810"})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	key, err := ctx.GenerateECDSAKeyPairWithLabel([]byte{7}, []byte("agency"), elliptic.P256())
	if err != nil {
		t.Fatal(err)
	}
	cert := issue(t, pki, "Agency in a token", key.Public())
	if err := ctx.ImportCertificateWithLabel([]byte{7}, []byte("agency"), cert); err != nil {
		t.Fatal(err)
	}
}

// clerkP12 writes the clerk's personal key and certificate as
// DIR/<folded name>.p12.
func clerkP12(t *testing.T, pki *signing.DevIdentity, dir, name string) {
	id, err := signing.IssueDevelopmentPerson(pki, name, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cert := issue(t, pki, name, id.Signer.Public())
	data, err := pkcs12.Modern.Encode(id.Signer, cert, []*x509.Certificate{pki.CA}, "clerk-secret")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o700)
	if err := os.WriteFile(filepath.Join(dir, slug(name)+".p12"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// issue makes a signing certificate for pub, named cn, from pki's CA.
func issue(t *testing.T, pki *signing.DevIdentity, cn string, pub crypto.PublicKey) *x509.Certificate {
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn, Country: []string{"VN"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, pki.CA, pub, pki.CASigner)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return cert
}

func writePEM(t *testing.T, path string, c *x509.Certificate) {
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
}
