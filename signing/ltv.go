package signing

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/digitorus/pkcs7"
)

// AddValidationData appends a Document Security Store (ISO 32000-2 12.8.4.3, ETSI EN
// 319 142-1 5.4) to pdf: the certificates of every signature and time-stamp in it; for
// each certificate that names an http OCSP responder, that responder's answer about it;
// for each certificate that names an http CRL distribution point, the CRL fetched from
// there; and for each signature and document time-stamp that has none yet, a VRI
// entry (keyed by the upper-case hex SHA-1 of its /Contents string, padding included)
// listing the certificates, CRLs and OCSP responses that validate it. Each exchange is
// bounded by ctx and [Config.TSATimeout]. What an existing DSS holds is kept. This takes
// the signatures to PAdES B-LT; [Signer.AddDocumentTimestamp] afterwards takes them to
// B-LTA.
//
// The output is checked like [Signer.SignWith]'s: every signature must verify as before.
// Revocation data that cannot be fetched or read, or that says a certificate is revoked
// or unknown, is an error wrapping [ErrRevocation].
func (s *Signer) AddValidationData(ctx context.Context, pdf []byte) ([]byte, error) {
	d := Open(pdf)
	if err := s.addValidationData(ctx, d); err != nil {
		return nil, fmt.Errorf("signing: add validation data: %w", err)
	}
	return d.Bytes(), nil
}

// ErrRevocation reports revocation data (a CRL or an OCSP response) that could not be
// fetched or read, or that does not say a certificate is good.
var ErrRevocation = fmt.Errorf("revocation data unavailable")

func (s *Signer) addValidationData(ctx context.Context, d *Document) error {
	in := d.pdf
	before, err := d.verified(s.cfg.Roots)
	if err != nil {
		return err
	}
	sigs := signatureCertificates(in)
	var certs []*x509.Certificate
	for _, sg := range sigs {
		for _, c := range sg.certs {
			if !containsCert(certs, c) {
				certs = append(certs, c)
			}
		}
	}
	rev, err := s.fetchRevocation(ctx, certs)
	if err != nil {
		return err
	}
	u, err := newUpdate(in)
	if err != nil {
		return err
	}
	u.replace(u.catalogWithDSS(certs, rev, sigs, s.cfg.Clock()))
	out := u.Bytes()
	after, err := verify(out, s.cfg.Roots)
	if err != nil || !sameValidity(before, after) {
		return fmt.Errorf("%w: validation data changed what verifies", ErrDamagedOutput)
	}
	d.set(out, after, s.cfg.Roots)
	return nil
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

// signatureCerts is one signature or document time-stamp: its VRI key and the
// certificates in its CMS and in its signature time-stamp token.
type signatureCerts struct {
	key   string
	certs []*x509.Certificate
}

// signatureCertificates returns, for every readable signature and document time-stamp of
// data in file order, its VRI key and certificates.
func signatureCertificates(data []byte) []signatureCerts {
	var out []signatureCerts
	for _, sl := range findSlots(data) {
		if sl.bad != "" {
			continue
		}
		der, err := sl.contents(data)
		if err != nil {
			continue
		}
		p7, err := pkcs7.Parse(der)
		if err != nil {
			continue
		}
		sc := signatureCerts{key: vriKey(data, sl)}
		add := func(cs []*x509.Certificate) {
			for _, c := range cs {
				if !containsCert(sc.certs, c) {
					sc.certs = append(sc.certs, c)
				}
			}
		}
		add(p7.Certificates)
		for _, si := range p7.Signers {
			for _, a := range si.UnauthenticatedAttributes {
				if a.Type.Equal(oidAttrTimeStampToken) {
					if tp7, err := pkcs7.Parse(a.Value.Bytes); err == nil {
						add(tp7.Certificates)
					}
				}
			}
		}
		out = append(out, sc)
	}
	return out
}

// vriKey is the key of a signature's VRI entry (ETSI EN 319 142-1 5.4.2.2, ISO
// 32000-2 12.8.4.4): the upper-case hex SHA-1 of its /Contents string's bytes, the
// zero padding after the CMS included. (SHA-1 names the entry; it protects nothing.)
func vriKey(data []byte, sl slot) string {
	h := bytes.Map(func(r rune) rune {
		if r < 0x80 && isSpace(byte(r)) {
			return -1
		}
		return r
	}, data[sl.br[1]+1:sl.br[2]-1])
	if len(h)%2 == 1 {
		h = append(h, '0')
	}
	raw := make([]byte, hex.DecodedLen(len(h)))
	n, _ := hex.Decode(raw, h)
	sum := sha1.Sum(raw[:n])
	return strings.ToUpper(hex.EncodeToString(sum[:]))
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
// plus certs, rev's CRLs and OCSP responses (DER), each once, and a VRI entry for each
// of sigs that has none.
func (u *update) catalogWithDSS(certs []*x509.Certificate, rev *revocationData, sigs []signatureCerts, now time.Time) (ref, []byte) {
	root, p := u.root()
	old := root.Key("DSS")
	refs := map[string]string{} // DER → its stream's reference
	var dssBody bytes.Buffer
	dssBody.WriteString("<< /Type /DSS")
	certDER := make([][]byte, len(certs))
	for i, c := range certs {
		certDER[i] = c.Raw
	}
	for _, list := range []struct {
		key string
		add [][]byte
	}{{"Certs", certDER}, {"CRLs", rev.crls}, {"OCSPs", rev.ocsps}} {
		fmt.Fprintf(&dssBody, " /%s [", list.key)
		arr := old.Key(list.key)
		for i := range arr.Len() {
			var item bytes.Buffer
			writeValue(&item, arr.Index(i), ptrOf(arr))
			if data, err := readStream(arr.Index(i)); err == nil {
				if _, ok := refs[string(data)]; !ok {
					refs[string(data)] = item.String()
				}
			}
			dssBody.WriteByte(' ')
			dssBody.Write(item.Bytes())
		}
		for _, der := range list.add {
			if _, ok := refs[string(der)]; ok {
				continue
			}
			refs[string(der)] = fmt.Sprintf("%d 0 R", u.Add(flateStream("", der)))
			dssBody.WriteString(" " + refs[string(der)])
		}
		dssBody.WriteString(" ]")
	}
	dssBody.WriteString(" /VRI <<")
	oldVRI := old.Key("VRI")
	for _, k := range oldVRI.Keys() {
		fmt.Fprintf(&dssBody, " %s ", pdfName(k))
		writeValue(&dssBody, oldVRI.Key(k), ptrOf(oldVRI))
	}
	for _, sg := range sigs {
		if !oldVRI.Key(sg.key).IsNull() {
			continue
		}
		fmt.Fprintf(&dssBody, " /%s %d 0 R", sg.key, u.Add(vriEntry(sg, rev, refs, now)))
	}
	dssBody.WriteString(" >> >>")
	dssID := u.Add(dssBody.Bytes())
	var b bytes.Buffer
	b.WriteString("<<")
	writeEntries(&b, root, p, "DSS")
	fmt.Fprintf(&b, " /DSS %d 0 R >>", dssID)
	return p, b.Bytes()
}

// vriEntry renders the VRI dictionary of one signature: its certificates and the CRLs
// and OCSP responses about them, as references to the DSS's streams.
func vriEntry(sg signatureCerts, rev *revocationData, refs map[string]string, now time.Time) []byte {
	var certs, crls, ocsps []string
	for _, c := range sg.certs {
		certs = appendNew(certs, refs[string(c.Raw)])
		for _, der := range rev.crlsFor[string(c.Raw)] {
			crls = appendNew(crls, refs[string(der)])
		}
		if der := rev.ocspFor[string(c.Raw)]; der != nil {
			ocsps = appendNew(ocsps, refs[string(der)])
		}
	}
	return fmt.Appendf(nil, "<< /Type /VRI /Cert [ %s ] /CRL [ %s ] /OCSP [ %s ] /TU (D:%sZ) >>",
		strings.Join(certs, " "), strings.Join(crls, " "), strings.Join(ocsps, " "), now.UTC().Format("20060102150405"))
}

func appendNew(list []string, s string) []string {
	for _, have := range list {
		if have == s {
			return list
		}
	}
	return append(list, s)
}
