package signing

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"

	gopkcs12 "software.sslmate.com/src/go-pkcs12"
)

// Identity is a signing key with its certificate chain.
type Identity struct {
	// Signer holds the private key: a software key, or an HSM key through PKCS#11.
	// Its public key must be the one in Certificate. ECDSA and RSA (PKCS#1 v1.5) keys
	// are supported.
	Signer crypto.Signer
	// Certificate is the end-entity certificate of Signer.
	Certificate *x509.Certificate
	// Chain holds the intermediates and the root, issuer of Certificate first. It may be
	// empty; the certificates in it are embedded in every signature.
	Chain []*x509.Certificate
}

// ErrIdentity reports an Identity that cannot sign: a missing key or certificate, a key
// that does not match the certificate, or an unsupported key type.
var ErrIdentity = errors.New("unusable identity")

// validate checks that id can sign and that its chain is in issuer order.
func (id *Identity) validate() error {
	if id == nil || id.Signer == nil || id.Certificate == nil {
		return fmt.Errorf("%w: Signer and Certificate are required", ErrIdentity)
	}
	switch id.Signer.Public().(type) {
	case *ecdsa.PublicKey, *rsa.PublicKey:
	default:
		return fmt.Errorf("%w: key type %T is not supported (use ECDSA or RSA)", ErrIdentity, id.Signer.Public())
	}
	pub, ok := id.Signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(id.Certificate.PublicKey) {
		return fmt.Errorf("%w: key does not match certificate %q", ErrIdentity, id.Certificate.Subject.CommonName)
	}
	child := id.Certificate
	for _, parent := range id.Chain {
		if err := child.CheckSignatureFrom(parent); err != nil {
			return fmt.Errorf("%w: %q is not issued by the next chain certificate %q: %v",
				ErrIdentity, child.Subject.CommonName, parent.Subject.CommonName, err)
		}
		child = parent
	}
	return nil
}

// root returns the last certificate of the chain when it is self-signed, or nil.
func (id *Identity) root() *x509.Certificate {
	if len(id.Chain) == 0 {
		return nil
	}
	last := id.Chain[len(id.Chain)-1]
	if !bytes.Equal(last.RawIssuer, last.RawSubject) || last.CheckSignatureFrom(last) != nil {
		return nil
	}
	return last
}

// LoadPKCS12 loads a PKCS#12 (.p12, .pfx) file holding one private key, its certificate
// and optionally the CA certificates, as issued for production keys. Both legacy
// (3DES/RC2) and modern (PBES2/AES) files are read. The chain is returned in issuer
// order whatever the order in the file.
func LoadPKCS12(data []byte, password string) (*Identity, error) {
	key, cert, cas, err := gopkcs12.DecodeChain(data, password)
	if err != nil {
		return nil, fmt.Errorf("signing: load pkcs12: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("signing: load pkcs12: %w: key type %T cannot sign", ErrIdentity, key)
	}
	id := &Identity{Signer: signer, Certificate: cert, Chain: orderChain(cert, cas)}
	if err := id.validate(); err != nil {
		return nil, fmt.Errorf("signing: load pkcs12: %w", err)
	}
	return id, nil
}

// orderChain returns certs in issuer order starting from leaf's issuer. Certificates that
// are not part of the path are dropped.
func orderChain(leaf *x509.Certificate, certs []*x509.Certificate) []*x509.Certificate {
	rest := slices.Clone(certs)
	var out []*x509.Certificate
	for cur := leaf; len(rest) > 0 && !bytes.Equal(cur.RawIssuer, cur.RawSubject); {
		i := slices.IndexFunc(rest, func(c *x509.Certificate) bool {
			return bytes.Equal(c.RawSubject, cur.RawIssuer) && cur.CheckSignatureFrom(c) == nil
		})
		if i < 0 {
			break
		}
		cur = rest[i]
		out = append(out, cur)
		rest = slices.Delete(rest, i, i+1)
	}
	return out
}
