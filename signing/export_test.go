package signing

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"time"
)

// CheckOutput runs the check Sign makes on out, signed from in, for the external tests.
func CheckOutput(out, in []byte, roots *x509.CertPool) error {
	before, err := verify(in, roots)
	if err != nil {
		return err
	}
	_, err = checkOutput(out, before, roots)
	return err
}

// IssueDevelopmentTSA issues a new TSA certificate from the development CA valid from
// an hour ago to notAfter, for tests that move the clock past the first one. (The
// TSA's tokens carry a signing-time from the system clock, so it must be valid now.)
func IssueDevelopmentTSA(dev *DevIdentity, notAfter time.Time) (*Identity, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := tsaTemplate()
	tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), notAfter
	der, err := x509.CreateCertificate(rand.Reader, tmpl, dev.CA, key.Public(), dev.CASigner)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Identity{Signer: key, Certificate: cert, Chain: []*x509.Certificate{dev.CA}}, nil
}

// StripTimestamp removes the signature time-stamp from the last signature of pdf,
// keeping the byte layout.
func StripTimestamp(pdf []byte) ([]byte, error) {
	out := bytes.Clone(pdf)
	slots := findSlots(out)
	for _, sl := range slots[len(slots)-1:] {
		der, err := sl.contents(out)
		if err != nil {
			return nil, err
		}
		var ci contentInfo
		if _, err := asn1.Unmarshal(der, &ci); err != nil {
			return nil, err
		}
		var sd signedData
		if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
			return nil, err
		}
		sd.SignerInfos[0].UnsignedAttrs = asn1.RawValue{}
		inner, err := asn1.Marshal(sd)
		if err != nil {
			return nil, err
		}
		ci.Content = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner}
		stripped, err := asn1.Marshal(ci)
		if err != nil {
			return nil, err
		}
		if err := sl.embed(out, stripped); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ContentsPadding returns, for each signature of pdf, the bytes of its DER CMS or token
// and the bytes reserved for it in /Contents.
func ContentsPadding(pdf []byte) (der, reserved []int, err error) {
	for _, sl := range findSlots(pdf) {
		d, err := sl.contents(pdf)
		if err != nil {
			return nil, nil, err
		}
		der, reserved = append(der, len(d)), append(reserved, int(sl.br[2]-sl.br[1]-2)/2)
	}
	return der, reserved, nil
}

// SetMeasured makes s believe its CMS and tokens measured n bytes, for the tests of the
// retry when one does not fit.
func SetMeasured(s *Signer, n int) {
	s.res.cms, s.res.token = n, n
}
