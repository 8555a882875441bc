package signing

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"

	"github.com/ThalesGroup/crypto11"
)

// DefaultPKCS11Module is the PKCS#11 module [OpenPKCS11] loads when the URI names none:
// Debian's SoftHSM2.
const DefaultPKCS11Module = "/usr/lib/softhsm/libsofthsm2.so"

// pkcs11URI is the subset of an RFC 7512 PKCS#11 URI that OpenPKCS11 reads.
type pkcs11URI struct {
	token, object, module string
}

// parsePKCS11URI parses "pkcs11:token=…;object=…[?module-path=…]". Values are
// percent-decoded; other attributes are refused so that a typo is not ignored.
func parsePKCS11URI(uri string) (pkcs11URI, error) {
	var u pkcs11URI
	rest, ok := strings.CutPrefix(uri, "pkcs11:")
	if !ok {
		return u, errors.New("URI does not start with pkcs11:")
	}
	path, query, _ := strings.Cut(rest, "?")
	for _, part := range append(strings.Split(path, ";"), strings.Split(query, "&")...) {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		v, err := url.PathUnescape(v)
		if err != nil {
			return u, fmt.Errorf("attribute %s: %w", k, err)
		}
		switch k {
		case "token":
			u.token = v
		case "object":
			u.object = v
		case "module-path":
			u.module = v
		default:
			return u, fmt.Errorf("attribute %q is not supported (token, object, module-path)", k)
		}
	}
	if u.token == "" || u.object == "" {
		return u, errors.New("token and object are required")
	}
	if u.module == "" {
		u.module = DefaultPKCS11Module
	}
	return u, nil
}

// OpenPKCS11 returns the identity whose key and certificate carry the label object in
// the token labelled token, named by a PKCS#11 URI such as
// "pkcs11:token=khoso;object=agency?module-path=/usr/lib/softhsm/libsofthsm2.so"
// (module-path defaults to [DefaultPKCS11Module]). The private key never leaves the
// token. A token is a serial device: signatures through one identity are made one at
// a time, callers queueing on a mutex. The key must pass the Circular 15/2025 policy
// (RSA ≥ 2048 bits, used with RSASSA-PSS; ECDSA P-256 or P-384), else the error wraps
// [ErrAlgorithm].
//
// The returned Chain is empty: set it to the intermediates and root (issuer first) so
// that they are embedded in signatures. The session stays open for the life of the
// process.
func OpenPKCS11(uri, pin string) (*Identity, error) {
	id, err := openPKCS11(uri, pin)
	if err != nil {
		return nil, fmt.Errorf("signing: open pkcs11: %w", err)
	}
	return id, nil
}

func openPKCS11(uri, pin string) (*Identity, error) {
	u, err := parsePKCS11URI(uri)
	if err != nil {
		return nil, err
	}
	ctx, err := crypto11.Configure(&crypto11.Config{Path: u.module, TokenLabel: u.token, Pin: pin})
	if err != nil {
		return nil, err
	}
	key, err := ctx.FindKeyPair(nil, []byte(u.object))
	if err == nil && key == nil {
		err = fmt.Errorf("%w: no key pair labelled %q in token %q", ErrIdentity, u.object, u.token)
	}
	if err != nil {
		_ = ctx.Close()
		return nil, err
	}
	cert, err := ctx.FindCertificate(nil, []byte(u.object), nil)
	if err == nil && cert == nil {
		err = fmt.Errorf("%w: no certificate labelled %q in token %q", ErrIdentity, u.object, u.token)
	}
	if err == nil {
		err = checkAlgorithm(key.Public())
	}
	id := &Identity{Signer: &serialSigner{Signer: key}, Certificate: cert}
	if err == nil {
		err = id.validate()
	}
	if err != nil {
		_ = ctx.Close()
		return nil, err
	}
	return id, nil
}

// serialSigner makes one signature at a time.
type serialSigner struct {
	crypto.Signer
	mu sync.Mutex
}

// Sign signs with the token's key once the previous signature is done.
func (s *serialSigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Signer.Sign(rand, digest, opts)
}
