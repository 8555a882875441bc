package signing

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/digitorus/pkcs7"
)

// maxCRLSize bounds a fetched CRL.
const maxCRLSize = 16 << 20

// AddValidationData appends a Document Security Store (ISO 32000-2 12.8.4.3) to pdf: the
// certificates of every signature and time-stamp in it and, for each certificate that
// names an http CRL distribution point, the CRL fetched from there (bounded by ctx and
// [Config.TSATimeout] each). What an existing DSS holds is kept. This takes the
// signatures to PAdES B-LT; [Signer.AddDocumentTimestamp] afterwards takes them to
// B-LTA.
//
// The output is checked like [Signer.SignWith]'s: every signature must verify as before.
// A CRL that cannot be fetched is an error wrapping [ErrRevocation].
func (s *Signer) AddValidationData(ctx context.Context, pdf []byte) ([]byte, error) {
	out, err := s.addValidationData(ctx, pdf)
	if err != nil {
		return nil, fmt.Errorf("signing: add validation data: %w", err)
	}
	return out, nil
}

// ErrRevocation reports revocation data (a CRL) that could not be fetched or read.
var ErrRevocation = fmt.Errorf("revocation data unavailable")

func (s *Signer) addValidationData(ctx context.Context, in []byte) ([]byte, error) {
	before, err := verify(in, s.cfg.Roots)
	if err != nil {
		return nil, err
	}
	certs := embeddedCertificates(in)
	var crls [][]byte
	seen := map[string]bool{}
	for _, c := range certs {
		for _, url := range c.CRLDistributionPoints {
			if seen[url] || !strings.HasPrefix(url, "http") {
				continue
			}
			seen[url] = true
			crl, err := s.fetchCRL(ctx, url)
			if err != nil {
				return nil, err
			}
			crls = append(crls, crl)
		}
	}
	u, err := newUpdate(in)
	if err != nil {
		return nil, err
	}
	u.replace(u.catalogWithDSS(certs, crls))
	out, err := u.bytes()
	if err != nil {
		return nil, err
	}
	after, err := verify(out, s.cfg.Roots)
	if err != nil || !sameValidity(before, after) {
		return nil, fmt.Errorf("%w: validation data changed what verifies", ErrDamagedOutput)
	}
	return out, nil
}

// sameValidity reports whether after has the signatures of before, as valid.
func sameValidity(before, after *Report) bool {
	if len(after.Signatures) != len(before.Signatures) {
		return false
	}
	for i, b := range before.Signatures {
		if after.Signatures[i].Valid != b.Valid {
			return false
		}
	}
	return true
}

// fetchCRL fetches and parses the CRL at url.
func (s *Signer) fetchCRL(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.TSATimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrRevocation, url, err)
	}
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrRevocation, url, err)
	}
	defer resp.Body.Close()
	der, err := io.ReadAll(io.LimitReader(resp.Body, maxCRLSize))
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("HTTP %s", resp.Status)
	}
	if err == nil {
		_, err = x509.ParseRevocationList(der)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrRevocation, url, err)
	}
	return der, nil
}

// embeddedCertificates returns, without duplicates, the certificates in every
// signature of data and in the time-stamp tokens.
func embeddedCertificates(data []byte) []*x509.Certificate {
	var out []*x509.Certificate
	addAll := func(der []byte) {
		p7, err := pkcs7.Parse(der)
		if err != nil {
			return
		}
		for _, c := range p7.Certificates {
			if !containsCert(out, c) {
				out = append(out, c)
			}
		}
		for _, si := range p7.Signers {
			for _, a := range si.UnauthenticatedAttributes {
				if a.Type.Equal(oidAttrTimeStampToken) {
					if tp7, err := pkcs7.Parse(a.Value.Bytes); err == nil {
						for _, c := range tp7.Certificates {
							if !containsCert(out, c) {
								out = append(out, c)
							}
						}
					}
				}
			}
		}
	}
	for _, sl := range findSlots(data) {
		if sl.bad != "" {
			continue
		}
		if der, err := sl.contents(data); err == nil {
			addAll(der)
		}
	}
	return out
}

func containsCert(certs []*x509.Certificate, c *x509.Certificate) bool {
	for _, have := range certs {
		if have.Equal(c) {
			return true
		}
	}
	return false
}

// catalogWithDSS returns the catalog with a DSS holding the existing DSS's material
// plus certs and crls (DER), each once.
func (u *update) catalogWithDSS(certs []*x509.Certificate, crls [][]byte) (ref, []byte) {
	root, p := u.root()
	old := root.Key("DSS")
	var dssBody bytes.Buffer
	dssBody.WriteString("<< /Type /DSS")
	var have [][]byte
	certDER := make([][]byte, len(certs))
	for i, c := range certs {
		certDER[i] = c.Raw
	}
	for _, key := range []string{"Certs", "CRLs", "OCSPs"} {
		fmt.Fprintf(&dssBody, " /%s [", key)
		arr := old.Key(key)
		for i := range arr.Len() {
			if data, err := readStream(arr.Index(i)); err == nil {
				have = append(have, data)
			}
			dssBody.WriteByte(' ')
			writeValue(&dssBody, arr.Index(i), ptrOf(arr))
		}
		add := map[string][][]byte{"Certs": certDER, "CRLs": crls}[key]
		for _, der := range add {
			if containsBytes(have, der) {
				continue
			}
			have = append(have, der)
			fmt.Fprintf(&dssBody, " %d 0 R", u.add(flateStream("", der)))
		}
		dssBody.WriteString(" ]")
	}
	if vri := old.Key("VRI"); !vri.IsNull() {
		dssBody.WriteString(" /VRI ")
		writeValue(&dssBody, vri, ptrOf(old))
	}
	dssBody.WriteString(" >>")
	dssID := u.add(dssBody.Bytes())
	var b bytes.Buffer
	b.WriteString("<<")
	writeEntries(&b, root, p, "DSS")
	fmt.Fprintf(&b, " /DSS %d 0 R >>", dssID)
	return p, b.Bytes()
}

func containsBytes(list [][]byte, b []byte) bool {
	for _, have := range list {
		if bytes.Equal(have, b) {
			return true
		}
	}
	return false
}
