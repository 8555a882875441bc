package signing_test

import (
	"context"
	"crypto"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ThalesGroup/crypto11"

	"github.com/khoso-vn/khoso/signing"
)

const testPIN = "1234"

// hsmFixture is a development PKI and SoftHSM2 tokens holding keys it certified.
type hsmFixture struct {
	dev  *signing.DevIdentity
	uris map[string]string // token URI by key kind
	err  error
}

var (
	hsmOnce sync.Once
	hsm     hsmFixture
)

// hsmKeys generate the key pair of each test token, inside the token.
var hsmKeys = map[string]func(*crypto11.Context, []byte, []byte) (crypto11.Signer, error){
	"RSA-3072": func(c *crypto11.Context, id, label []byte) (crypto11.Signer, error) {
		return c.GenerateRSAKeyPairWithLabel(id, label, 3072)
	},
	"RSA-1024": func(c *crypto11.Context, id, label []byte) (crypto11.Signer, error) {
		return c.GenerateRSAKeyPairWithLabel(id, label, 1024)
	},
	"P-256": func(c *crypto11.Context, id, label []byte) (crypto11.Signer, error) {
		return c.GenerateECDSAKeyPairWithLabel(id, label, elliptic.P256())
	},
}

// softHSM returns the fixture, made once per test binary: SOFTHSM2_CONF points at a
// configuration whose tokens live in a fresh temporary directory, and every token is
// created before the module is first loaded (SoftHSM2 lists tokens when initialised,
// and an open identity keeps it initialised).
func softHSM(tb testing.TB) *hsmFixture {
	tb.Helper()
	requireTool(tb, "softhsm2-util", "softhsm2")
	if _, err := os.Stat(signing.DefaultPKCS11Module); err != nil {
		tb.Fatalf("%s is required: apt-get install -y softhsm2", signing.DefaultPKCS11Module)
	}
	hsmOnce.Do(func() { hsm.err = hsm.make() })
	if hsm.err != nil {
		tb.Fatal(hsm.err)
	}
	return &hsm
}

func (f *hsmFixture) make() error {
	dir, err := os.MkdirTemp("", "khoso-softhsm-")
	if err != nil {
		return err
	}
	conf, tokens := filepath.Join(dir, "softhsm2.conf"), filepath.Join(dir, "tokens")
	if err := errors.Join(os.Mkdir(tokens, 0o700),
		os.WriteFile(conf, []byte("directories.tokendir = "+tokens+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600),
		os.Setenv("SOFTHSM2_CONF", conf)); err != nil {
		return err
	}
	if f.dev, err = signing.EnsureDevelopmentIdentity(filepath.Join(dir, "pki"), "Sở Tư pháp", time.Now()); err != nil {
		return err
	}
	for kind := range hsmKeys {
		out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", kind, "--pin", testPIN, "--so-pin", "123456").CombinedOutput()
		if err != nil {
			return fmt.Errorf("softhsm2-util: %v: %s", err, out)
		}
	}
	f.uris = map[string]string{}
	for kind, generate := range hsmKeys {
		if err := f.addKey(kind, generate); err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		f.uris[kind] = "pkcs11:token=" + kind + ";object=agency?module-path=" + signing.DefaultPKCS11Module
	}
	return nil
}

// addKey generates a key pair in the token kind and stores a certificate for it.
func (f *hsmFixture) addKey(kind string, generate func(*crypto11.Context, []byte, []byte) (crypto11.Signer, error)) error {
	ctx, err := crypto11.Configure(&crypto11.Config{Path: signing.DefaultPKCS11Module, TokenLabel: kind, Pin: testPIN})
	if err != nil {
		return err
	}
	defer ctx.Close()
	key, err := generate(ctx, []byte{1}, []byte("agency"))
	if err != nil {
		return err
	}
	cert, err := issueFor(f.dev, key.Public())
	if err != nil {
		return err
	}
	return ctx.ImportCertificateWithLabel([]byte{1}, []byte("agency"), cert)
}

// tsaFor serves a TSA with dev's TSA certificate.
func tsaFor(tb testing.TB, dev *signing.DevIdentity) string {
	tb.Helper()
	h, err := signing.NewTSA(dev.TSA, nil)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv.URL
}

func issueFor(dev *signing.DevIdentity, pub crypto.PublicKey) (*x509.Certificate, error) {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "Sở Tư pháp (HSM test)", Organization: []string{"Sở Tư pháp"}},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, dev.CA, pub, dev.CASigner)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func TestSignWithSoftHSM(t *testing.T) {
	t.Parallel()
	for kind, algorithm := range map[string]string{"RSA-3072": "RSASSA-PSS 3072 SHA-256", "P-256": "ECDSA P-256 SHA-256"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f := softHSM(t)
			id, err := signing.OpenPKCS11(f.uris[kind], testPIN)
			if err != nil {
				t.Fatal(err)
			}
			id.Chain = []*x509.Certificate{f.dev.CA}
			roots := x509.NewCertPool()
			roots.AddCert(f.dev.CA)
			signer, err := signing.NewSigner(signing.Config{Identity: id, TSAURL: tsaFor(t, f.dev)})
			if err != nil {
				t.Fatal(err)
			}
			outs := signConcurrently(t, signer, minimalPDF(t), 4)
			requirePDFSigValid(t, nssDB(t, f.dev.CAFile), outs[0], 1)
			requireQPDFCheck(t, outs[0])
			for _, out := range outs {
				if r := verifyOK(t, out, roots); r.Signatures[0].Algorithm != algorithm || r.Signatures[0].Level != signing.LevelBT {
					t.Errorf("algorithm %q level %q, want %q B-T", r.Signatures[0].Algorithm, r.Signatures[0].Level, algorithm)
				}
			}
		})
	}
}

// signConcurrently signs in with n goroutines at once through one token.
func signConcurrently(tb testing.TB, s *signing.Signer, in []byte, n int) [][]byte {
	tb.Helper()
	outs := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { outs[i], errs[i] = s.Sign(context.Background(), in) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	return outs
}

func TestOpenPKCS11RefusesWeakKeysAndBadURIs(t *testing.T) {
	t.Parallel()
	uri := softHSM(t).uris["RSA-1024"]
	if _, err := signing.OpenPKCS11(uri, testPIN); !errors.Is(err, signing.ErrAlgorithm) {
		t.Errorf("RSA-1024 key: %v, want ErrAlgorithm", err)
	}
	for _, bad := range []string{"token=x;object=y", "pkcs11:token=x", "pkcs11:token=x;object=y;slot-id=3", "pkcs11:token=%zz;object=y"} {
		if _, err := signing.OpenPKCS11(bad, testPIN); err == nil || !strings.HasPrefix(err.Error(), "signing: open pkcs11: ") {
			t.Errorf("OpenPKCS11(%q): %v", bad, err)
		}
	}
	if _, err := signing.OpenPKCS11(strings.Replace(uri, "object=agency", "object=nobody", 1), testPIN); err == nil {
		t.Error("a missing object opened")
	}
}
