package signing

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Names of the development certificates. They say what they are, so that a document
// signed with them is never mistaken for a real one.
const (
	DevCAName  = "khoso DEVELOPMENT CA - not for production use"
	DevTSAName = "khoso DEVELOPMENT TSA - not for production use"
	devSuffix  = " (DEVELOPMENT)"
)

var (
	oidExtKeyUsage       = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidKPTimeStamping    = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
	oidKPDocumentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36} // RFC 9336
)

// DevIdentity is the development PKI made by [EnsureDevelopmentIdentity].
type DevIdentity struct {
	CA     *x509.Certificate // the development root
	Agency *Identity         // signs documents; Chain is [CA]
	TSA    *Identity         // signs time-stamps; Chain is [CA]
	CAFile string            // path of the CA certificate (PEM), for NSS databases and browsers
	// CASigner is the CA's key, for [IssueDevelopmentPerson] and [NewRevocationServer].
	CASigner crypto.Signer
	// CRLURL, when set, is written as the CRL distribution point of the certificates
	// [IssueDevelopmentPerson] issues; serve [NewCRLHandler] there. With
	// [DevConfig.RevocationURL] it is that URL + [DevCRLPath].
	CRLURL string
	// OCSPURL, when set, is written as the OCSP responder of the certificates
	// [IssueDevelopmentPerson] issues. With [DevConfig.RevocationURL] it is that URL +
	// [DevOCSPPath].
	OCSPURL string
}

// DevConfig configures [EnsureDevelopmentPKI].
type DevConfig struct {
	// Dir holds the keys and certificates. Required.
	Dir string
	// AgencyName is the agency certificate's organisation; its common name is
	// AgencyName + " (DEVELOPMENT)". Required.
	AgencyName string
	// Now sets the validity of new certificates and is checked against loaded ones.
	// Default time.Now().
	Now time.Time
	// RevocationURL is the http base URL where [NewRevocationServer] serves the CA's
	// revocation status, such as "http://127.0.0.1:24680". When set, the agency and TSA
	// certificates (and those of [IssueDevelopmentPerson]) name RevocationURL +
	// [DevOCSPPath] as OCSP responder and RevocationURL + [DevCRLPath] as CRL
	// distribution point; a loaded agency or TSA certificate that names other URLs, or
	// none (an identity made before), is issued again for the same key. The URL must
	// stay the same across restarts: it is in every signature's certificates. Default:
	// no revocation URLs, and loaded certificates are kept as they are.
	RevocationURL string
}

// EnsureDevelopmentIdentity is [EnsureDevelopmentPKI] without revocation URLs.
func EnsureDevelopmentIdentity(dir, agencyName string, now time.Time) (*DevIdentity, error) {
	return EnsureDevelopmentPKI(DevConfig{Dir: dir, AgencyName: agencyName, Now: now})
}

// EnsureDevelopmentPKI loads the development PKI from cfg.Dir, creating what is missing:
// a CA (ca.pem, ca-key.pem), an agency signing certificate (agency.pem, agency-key.pem)
// with common name agencyName + " (DEVELOPMENT)", and a TSA certificate (tsa.pem,
// tsa-key.pem) with a critical timeStamping extended key usage, both issued by the CA
// and naming the revocation URLs of [DevConfig.RevocationURL]. Keys are ECDSA P-256
// stored as PKCS#8 PEM with mode 0600.
//
// The agency certificate has key usages digitalSignature and nonRepudiation and extended
// key usages emailProtection and clientAuth (which NSS, and so pdfsig, and pdfsign's
// verify package expect) plus documentSigning (RFC 9336).
//
// It returns an error when the directory holds an identity for another agency, an
// expired certificate, or a certificate the CA in it did not issue; delete it to start
// again.
func EnsureDevelopmentPKI(cfg DevConfig) (*DevIdentity, error) {
	dev, err := ensureDevelopmentPKI(cfg)
	if err != nil {
		return nil, fmt.Errorf("signing: development identity: %w", err)
	}
	return dev, nil
}

func ensureDevelopmentPKI(cfg DevConfig) (*DevIdentity, error) {
	dir, agencyName, now := cfg.Dir, cfg.AgencyName, cfg.Now
	if strings.TrimSpace(agencyName) == "" {
		return nil, errors.New("agencyName is required")
	}
	if now.IsZero() {
		now = time.Now()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	ca, err := ensurePair(dir, "ca", DevCAName, now, nil, caTemplate)
	if err != nil {
		return nil, err
	}
	dev := &DevIdentity{CA: ca.Certificate, CAFile: filepath.Join(dir, "ca.pem"), CASigner: ca.Signer}
	if cfg.RevocationURL != "" {
		base := strings.TrimSuffix(cfg.RevocationURL, "/")
		dev.CRLURL, dev.OCSPURL = base+DevCRLPath, base+DevOCSPPath
	}
	leaf := func(template func() *x509.Certificate) func() *x509.Certificate {
		return func() *x509.Certificate { return dev.withRevocation(template()) }
	}
	if dev.Agency, err = ensurePair(dir, "agency", agencyName+devSuffix, now, ca, leaf(func() *x509.Certificate {
		return agencyTemplate(agencyName)
	})); err != nil {
		return nil, err
	}
	if dev.TSA, err = ensurePair(dir, "tsa", DevTSAName, now, ca, leaf(tsaTemplate)); err != nil {
		return nil, err
	}
	if dev.OCSPURL != "" {
		for name, id := range map[string]**Identity{"agency": &dev.Agency, "tsa": &dev.TSA} {
			if *id, err = dev.reissueWithoutURLs(dir, name, now, ca, *id); err != nil {
				return nil, err
			}
		}
	}
	return dev, nil
}

// withRevocation sets template's OCSP responder and CRL distribution point to dev's.
func (dev *DevIdentity) withRevocation(template *x509.Certificate) *x509.Certificate {
	if dev.OCSPURL != "" {
		template.OCSPServer = []string{dev.OCSPURL}
	}
	if dev.CRLURL != "" {
		template.CRLDistributionPoints = []string{dev.CRLURL}
	}
	return template
}

// reissueWithoutURLs issues id's certificate again, for the same key and subject, when
// it does not name dev's revocation URLs (an identity made before they existed, or
// with another address). Documents signed before stay valid: the CA is the same.
func (dev *DevIdentity) reissueWithoutURLs(dir, name string, now time.Time, ca, id *Identity) (*Identity, error) {
	c := id.Certificate
	if slices.Equal(c.OCSPServer, []string{dev.OCSPURL}) && slices.Equal(c.CRLDistributionPoints, []string{dev.CRLURL}) {
		return id, nil
	}
	tmpl := &x509.Certificate{Subject: c.Subject, BasicConstraintsValid: true, KeyUsage: c.KeyUsage,
		ExtKeyUsage: c.ExtKeyUsage, UnknownExtKeyUsage: c.UnknownExtKeyUsage}
	if name == "tsa" {
		tmpl = tsaTemplate()
	}
	cert, err := issue(dev.withRevocation(tmpl), now, id.Signer.Public(), ca, nil)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, name+".pem")
	if err := writeFileAtomic(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644); err != nil {
		return nil, err
	}
	return &Identity{Signer: id.Signer, Certificate: cert, Chain: []*x509.Certificate{ca.Certificate}}, nil
}

// ensurePair loads NAME.pem and NAME-key.pem from dir, or creates them from template,
// issued by issuer (self-signed when issuer is nil). The loaded certificate must have
// common name cn, be valid at now and be issued by issuer.
func ensurePair(dir, name, cn string, now time.Time, issuer *Identity, template func() *x509.Certificate) (*Identity, error) {
	certPath, keyPath := filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	id, err := loadPair(certPath, keyPath)
	if errors.Is(err, fs.ErrNotExist) {
		return createPair(certPath, keyPath, now, issuer, template())
	}
	if err != nil {
		return nil, err
	}
	if got := id.Certificate.Subject.CommonName; got != cn {
		return nil, fmt.Errorf("%s holds %q, want %q: use another directory", certPath, got, cn)
	}
	if now.Before(id.Certificate.NotBefore) || now.After(id.Certificate.NotAfter) {
		return nil, fmt.Errorf("%s is not valid at %s (valid %s to %s): delete %s to start again",
			certPath, now.Format(time.RFC3339), id.Certificate.NotBefore.Format(time.RFC3339),
			id.Certificate.NotAfter.Format(time.RFC3339), dir)
	}
	if issuer != nil {
		if err := id.Certificate.CheckSignatureFrom(issuer.Certificate); err != nil {
			return nil, fmt.Errorf("%s was not issued by the CA in %s: delete %s to start again", certPath, dir, dir)
		}
		id.Chain = []*x509.Certificate{issuer.Certificate}
	}
	return id, nil
}

// loadPair reads a certificate and its PKCS#8 key. A missing file gives fs.ErrNotExist
// only when both are missing.
func loadPair(certPath, keyPath string) (*Identity, error) {
	certPEM, certErr := os.ReadFile(certPath)
	keyPEM, keyErr := os.ReadFile(keyPath)
	switch {
	case errors.Is(certErr, fs.ErrNotExist) && errors.Is(keyErr, fs.ErrNotExist):
		return nil, certErr
	case certErr != nil:
		return nil, certErr
	case keyErr != nil:
		return nil, keyErr
	}
	cert, err := parsePEM(certPEM, "CERTIFICATE", func(der []byte) (*x509.Certificate, error) {
		return x509.ParseCertificate(der)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", certPath, err)
	}
	key, err := parsePEM(keyPEM, "PRIVATE KEY", x509.ParsePKCS8PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", keyPath, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%s: %w: key type %T cannot sign", keyPath, ErrIdentity, key)
	}
	id := &Identity{Signer: signer, Certificate: cert}
	if err := id.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", keyPath, err)
	}
	return id, nil
}

// parsePEM decodes the first PEM block, which must have the given type.
func parsePEM[T any](data []byte, blockType string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	block, _ := pem.Decode(data)
	if block == nil || block.Type != blockType {
		return zero, fmt.Errorf("no PEM %s block", blockType)
	}
	return parse(block.Bytes)
}

// createPair makes a P-256 key, a certificate from template issued by issuer (or
// self-signed), and writes both.
func createPair(certPath, keyPath string, now time.Time, issuer *Identity, template *x509.Certificate) (*Identity, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	cert, err := issue(template, now, key.Public(), issuer, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644); err != nil {
		return nil, err
	}
	id := &Identity{Signer: key, Certificate: cert}
	if issuer != nil {
		id.Chain = []*x509.Certificate{issuer.Certificate}
	}
	return id, nil
}

// issue fills serial number and validity into template and signs it with issuer's key,
// or with self when issuer is nil.
func issue(template *x509.Certificate, now time.Time, pub crypto.PublicKey, issuer *Identity, self crypto.Signer) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	template.SerialNumber = serial.Add(serial, big.NewInt(1))
	years := 3
	if template.IsCA {
		years = 10
	}
	template.NotBefore = now.Add(-time.Hour).UTC()
	template.NotAfter = now.AddDate(years, 0, 0).UTC()
	parent, signer := template, self
	if issuer != nil {
		parent, signer = issuer.Certificate, issuer.Signer
	}
	der, err := x509.CreateCertificate(rand.Reader, template, parent, pub, signer)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func caTemplate() *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{CommonName: DevCAName, Organization: []string{"khoso (development)"}, Country: []string{"VN"}},
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

func agencyTemplate(agencyName string) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{
			CommonName:   agencyName + devSuffix,
			Organization: []string{agencyName},
			Country:      []string{"VN"},
		},
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageClientAuth},
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{oidKPDocumentSigning},
	}
}

func tsaTemplate() *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{CommonName: DevTSAName, Organization: []string{"khoso (development)"}, Country: []string{"VN"}},
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtraExtensions:       []pkix.Extension{timeStampingEKU()},
	}
}

// timeStampingEKU is the extended key usage extension RFC 3161 requires of a TSA
// certificate: timeStamping only, critical. (crypto/x509 never marks EKU critical.)
func timeStampingEKU() pkix.Extension {
	value, err := asn1.Marshal([]asn1.ObjectIdentifier{oidKPTimeStamping})
	if err != nil {
		panic(err) // a constant value
	}
	return pkix.Extension{Id: oidExtKeyUsage, Critical: true, Value: value}
}

// writeFileAtomic writes data to a temporary file in the same directory and renames it.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
