package signing

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"strings"

	"golang.org/x/crypto/ocsp"
)

// maxRevocationSize bounds a fetched CRL or OCSP response.
const maxRevocationSize = 16 << 20

// revocationData is the revocation material fetched for a set of certificates.
type revocationData struct {
	crls, ocsps [][]byte            // DER, each once, in the order fetched
	crlsFor     map[string][][]byte // certificate DER → the CRLs of its distribution points
	ocspFor     map[string][]byte   // certificate DER → its OCSP response
}

// fetchRevocation fetches, for each of certs that names them, the OCSP response of its
// http OCSP responder (when its issuer is among certs) and the CRL of each of its http
// distribution points (each URL once).
func (s *Signer) fetchRevocation(ctx context.Context, certs []*x509.Certificate) (*revocationData, error) {
	rev := &revocationData{crlsFor: map[string][][]byte{}, ocspFor: map[string][]byte{}}
	byURL := map[string][]byte{}
	for _, c := range certs {
		for _, url := range c.CRLDistributionPoints {
			if !strings.HasPrefix(url, "http") {
				continue
			}
			crl, ok := byURL[url]
			if !ok {
				var err error
				if crl, err = s.fetchCRL(ctx, url); err != nil {
					return nil, err
				}
				byURL[url] = crl
				rev.crls = append(rev.crls, crl)
			}
			rev.crlsFor[string(c.Raw)] = append(rev.crlsFor[string(c.Raw)], crl)
		}
		issuer := issuerOf(c, certs)
		for _, url := range c.OCSPServer {
			if issuer == nil || !strings.HasPrefix(url, "http") {
				continue
			}
			resp, err := s.fetchOCSP(ctx, url, c, issuer)
			if err != nil {
				return nil, err
			}
			rev.ocsps = append(rev.ocsps, resp)
			rev.ocspFor[string(c.Raw)] = resp
			break
		}
	}
	return rev, nil
}

// issuerOf returns the certificate among certs that issued c, nil when none did or c
// is self-signed.
func issuerOf(c *x509.Certificate, certs []*x509.Certificate) *x509.Certificate {
	if bytes.Equal(c.RawIssuer, c.RawSubject) {
		return nil
	}
	for _, is := range certs {
		if bytes.Equal(is.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(is) == nil {
			return is
		}
	}
	return nil
}

// fetchCRL fetches and parses the CRL at url.
func (s *Signer) fetchCRL(ctx context.Context, url string) ([]byte, error) {
	der, err := s.fetch(ctx, http.MethodGet, url, "", nil)
	if err == nil {
		_, err = x509.ParseRevocationList(der)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: CRL %s: %w", ErrRevocation, url, err)
	}
	return der, nil
}

// fetchOCSP asks the responder at url about c (RFC 6960, POST) and checks the answer:
// signed by issuer or a responder it delegated to, about c, and "good". The request's
// CertID hashes the issuer with SHA-1, as RFC 5019 asks of clients and as every
// responder understands; the response's own signature uses the responder's algorithm.
func (s *Signer) fetchOCSP(ctx context.Context, url string, c, issuer *x509.Certificate) ([]byte, error) {
	fail := func(err error) ([]byte, error) {
		return nil, fmt.Errorf("%w: OCSP %s about %q: %w", ErrRevocation, url, c.Subject.CommonName, err)
	}
	req, err := ocsp.CreateRequest(c, issuer, &ocsp.RequestOptions{Hash: crypto.SHA1})
	if err != nil {
		return fail(err)
	}
	der, err := s.fetch(ctx, http.MethodPost, url, ocspRequestType, req)
	if err != nil {
		return fail(err)
	}
	resp, err := ocsp.ParseResponseForCert(der, c, issuer)
	if err != nil {
		return fail(err)
	}
	switch resp.Status {
	case ocsp.Good:
		return der, nil
	case ocsp.Revoked:
		return fail(fmt.Errorf("revoked at %s", resp.RevokedAt.UTC().Format("2006-01-02 15:04:05Z")))
	}
	return fail(fmt.Errorf("status unknown"))
}

// fetch sends one bounded request and returns the body of a 200 answer.
func (s *Signer) fetch(ctx context.Context, method, url, contentType string, body []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.TSATimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxRevocationSize))
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("HTTP %s", resp.Status)
	}
	return data, err
}
