package signing

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"
)

// IssueDevelopmentPerson issues a personal signing certificate for a person (a scanning
// clerk) from the development CA: common name name + " (DEVELOPMENT)", key usages
// digitalSignature and nonRepudiation, extended key usages emailProtection, clientAuth
// and documentSigning, a CRL distribution point at dev.CRLURL and an OCSP responder at
// dev.OCSPURL when set. The key is a new
// ECDSA P-256 key held in memory only: production clerks use their own certificates
// ([LoadPKCS12], [OpenPKCS11]).
func IssueDevelopmentPerson(dev *DevIdentity, name string, now time.Time) (*Identity, error) {
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("signing: issue development person: name is required")
	}
	if dev == nil || dev.CASigner == nil {
		return nil, errors.New("signing: issue development person: dev has no CA key")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("signing: issue development person: %w", err)
	}
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: name + devSuffix, Country: []string{"VN"}},
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageClientAuth},
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{oidKPDocumentSigning},
	}
	dev.withRevocation(tmpl)
	ca := &Identity{Signer: dev.CASigner, Certificate: dev.CA}
	cert, err := issue(tmpl, now, key.Public(), ca, nil)
	if err != nil {
		return nil, fmt.Errorf("signing: issue development person: %w", err)
	}
	return &Identity{Signer: key, Certificate: cert, Chain: []*x509.Certificate{dev.CA}}, nil
}

// CRLHandler serves the development CA's certificate revocation list (DER,
// application/pkix-crl), signed afresh on every request and valid for a day.
type CRLHandler struct {
	dev   *DevIdentity
	clock func() time.Time
	mu    sync.Mutex
	revs  []x509.RevocationListEntry
}

// NewCRLHandler returns a CRL server for dev's CA. clock nil means time.Now. Serve it
// at the URL put in dev.CRLURL before issuing certificates.
func NewCRLHandler(dev *DevIdentity, clock func() time.Time) (*CRLHandler, error) {
	if dev == nil || dev.CASigner == nil {
		return nil, errors.New("signing: new crl handler: dev has no CA key")
	}
	if clock == nil {
		clock = time.Now
	}
	return &CRLHandler{dev: dev, clock: clock}, nil
}

// Revoke lists the certificate with serial as revoked from at.
func (h *CRLHandler) Revoke(serial *big.Int, at time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.revs = append(h.revs, x509.RevocationListEntry{SerialNumber: serial, RevocationTime: at.UTC()})
}

// ServeHTTP answers GET with the current CRL.
func (h *CRLHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "GET the CRL", http.StatusMethodNotAllowed)
		return
	}
	now := h.clock()
	h.mu.Lock()
	tmpl := &x509.RevocationList{
		Number:                    big.NewInt(now.Unix()),
		ThisUpdate:                now.Add(-time.Minute).UTC(),
		NextUpdate:                now.Add(24 * time.Hour).UTC(),
		RevokedCertificateEntries: append([]x509.RevocationListEntry(nil), h.revs...),
	}
	h.mu.Unlock()
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, h.dev.CA, h.dev.CASigner)
	if err != nil {
		http.Error(w, "signing CRL: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/pkix-crl")
	_, _ = w.Write(der)
}
