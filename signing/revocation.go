package signing

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/crypto/ocsp"
)

// Paths of the development revocation server under [DevConfig.RevocationURL].
const (
	DevCRLPath  = "/ca.crl"
	DevOCSPPath = "/ocsp"
)

// Media types of OCSP over HTTP (RFC 6960 Appendix A).
const (
	ocspRequestType  = "application/ocsp-request"
	ocspResponseType = "application/ocsp-response"
	maxOCSPRequest   = 64 << 10
)

// RevocationServer serves the development CA's revocation status: its CRL at
// [DevCRLPath] (see [CRLHandler]) and an OCSP responder (RFC 6960) at [DevOCSPPath],
// both answering from the same list of revoked certificates ([CRLHandler.Revoke]).
//
// The responder answers POST (application/ocsp-request) and GET (DevOCSPPath + "/" +
// the base64 request). Responses are signed by the CA itself, so they need no
// responder certificate, are valid for a day, and say "good" for every serial number
// the CA's key hash is asked about and that is not revoked: the development CA keeps no
// register of what it issued. Requests about another issuer are answered
// "unauthorized".
type RevocationServer struct {
	*CRLHandler
}

// NewRevocationServer returns the revocation server of dev's CA. clock nil means
// time.Now. Serve it at dev's [DevConfig.RevocationURL].
func NewRevocationServer(dev *DevIdentity, clock func() time.Time) (*RevocationServer, error) {
	crl, err := NewCRLHandler(dev, clock)
	if err != nil {
		return nil, errors.New("signing: new revocation server: dev has no CA key")
	}
	return &RevocationServer{CRLHandler: crl}, nil
}

// ServeHTTP answers CRL and OCSP requests.
func (s *RevocationServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == DevCRLPath:
		s.CRLHandler.ServeHTTP(w, r)
	case p == DevOCSPPath && r.Method == http.MethodPost:
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != ocspRequestType {
			http.Error(w, "content type must be "+ocspRequestType, http.StatusUnsupportedMediaType)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxOCSPRequest))
		if err != nil {
			http.Error(w, "reading request: "+err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		s.answerOCSP(w, body)
	case strings.HasPrefix(p, DevOCSPPath+"/") && r.Method == http.MethodGet:
		s.answerOCSP(w, decodeOCSPPath(r.URL.EscapedPath()[len(DevOCSPPath)+1:]))
	default:
		http.NotFound(w, r)
	}
}

// decodeOCSPPath decodes the base64 request of an OCSP GET (RFC 6960 A.1), which
// clients may or may not URL-escape.
func decodeOCSPPath(p string) []byte {
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if der, err := enc.DecodeString(p); err == nil {
			return der
		}
	}
	return nil
}

// answerOCSP writes the OCSP response to the DER request.
func (s *RevocationServer) answerOCSP(w http.ResponseWriter, der []byte) {
	resp, err := s.ocspResponse(der)
	if err != nil {
		http.Error(w, "ocsp: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ocspResponseType)
	_, _ = w.Write(resp)
}

// ocspResponse returns the DER OCSPResponse for a DER OCSPRequest.
func (s *RevocationServer) ocspResponse(der []byte) ([]byte, error) {
	req, err := ocsp.ParseRequest(der)
	if err != nil {
		return ocsp.MalformedRequestErrorResponse, nil
	}
	ca := s.dev.CA
	if !req.HashAlgorithm.Available() || !bytes.Equal(req.IssuerKeyHash, keyHash(ca, req)) {
		return ocsp.UnauthorizedErrorResponse, nil
	}
	now := s.clock()
	tmpl := ocsp.Response{Status: ocsp.Good, SerialNumber: req.SerialNumber, IssuerHash: req.HashAlgorithm,
		ThisUpdate: now.Add(-time.Minute).UTC(), NextUpdate: now.Add(24 * time.Hour).UTC()}
	s.mu.Lock()
	for _, e := range s.revs {
		if e.SerialNumber.Cmp(req.SerialNumber) == 0 && !e.RevocationTime.After(now) {
			tmpl.Status, tmpl.RevokedAt, tmpl.RevocationReason = ocsp.Revoked, e.RevocationTime, ocsp.Unspecified
		}
	}
	s.mu.Unlock()
	return ocsp.CreateResponse(ca, ca, tmpl, s.dev.CASigner)
}

// keyHash is the hash, with the request's algorithm, of the CA's public key bits, as an
// OCSP CertID names its issuer.
func keyHash(ca *x509.Certificate, req *ocsp.Request) []byte {
	var spki struct {
		Algorithm asn1.RawValue
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(ca.RawSubjectPublicKeyInfo, &spki); err != nil {
		return nil
	}
	h := req.HashAlgorithm.New()
	h.Write(spki.PublicKey.RightAlign())
	return h.Sum(nil)
}
