package signing

import (
	"bytes"
	"crypto/x509"
	"time"

	"github.com/digitorus/pdf"
)

// PAdES baseline levels (ETSI EN 319 142-1) reported in [SignatureInfo.Level].
const (
	LevelBB   = "B-B"   // a valid CAdES signature
	LevelBT   = "B-T"   // plus a signature time-stamp
	LevelBLT  = "B-LT"  // plus the validation material in a DSS
	LevelBLTA = "B-LTA" // plus a document time-stamp over that DSS
)

// dss is the validation material of a Document Security Store.
type dss struct {
	certs []*x509.Certificate
	crls  []*x509.RevocationList
	ocsps int
}

// readDSS returns the DSS of the document, or nil when it has none.
func readDSS(r *pdf.Reader) *dss {
	d := r.Trailer().Key("Root").Key("DSS")
	if d.Kind() != pdf.Dict {
		return nil
	}
	out := &dss{ocsps: d.Key("OCSPs").Len()}
	certs, crls := d.Key("Certs"), d.Key("CRLs")
	for i := range certs.Len() {
		if der, err := readStream(certs.Index(i)); err == nil {
			if c, err := x509.ParseCertificate(der); err == nil {
				out.certs = append(out.certs, c)
			}
		}
	}
	for i := range crls.Len() {
		if der, err := readStream(crls.Index(i)); err == nil {
			if c, err := x509.ParseRevocationList(der); err == nil {
				out.crls = append(out.crls, c)
			}
		}
	}
	return out
}

// covers reports whether the DSS holds chain's certificates and, for each that names
// a CRL distribution point, a CRL from its issuer; and whether one of them is revoked
// at t.
func (d *dss) covers(chain []*x509.Certificate, t time.Time) (complete, revoked bool) {
	complete = true
	for i, c := range chain {
		if i == len(chain)-1 && bytes.Equal(c.RawIssuer, c.RawSubject) {
			break // the trust anchor
		}
		complete = complete && d.hasCert(c)
		if len(c.CRLDistributionPoints) == 0 || i+1 >= len(chain) {
			continue
		}
		crl := d.crlFrom(chain[i+1])
		if crl == nil {
			complete = false
			continue
		}
		for _, e := range crl.RevokedCertificateEntries {
			revoked = revoked || e.SerialNumber.Cmp(c.SerialNumber) == 0 && !e.RevocationTime.After(t)
		}
	}
	return complete, revoked
}

func (d *dss) hasCert(c *x509.Certificate) bool {
	for _, have := range d.certs {
		if have.Equal(c) {
			return true
		}
	}
	return false
}

// crlFrom returns a CRL in the DSS signed by issuer.
func (d *dss) crlFrom(issuer *x509.Certificate) *x509.RevocationList {
	for _, crl := range d.crls {
		if bytes.Equal(crl.RawIssuer, issuer.RawSubject) && crl.CheckSignatureFrom(issuer) == nil {
			return crl
		}
	}
	return nil
}

// setLevels sets the PAdES level of each valid signature of data.
func setLevels(data []byte, r *Report, slots []slot) {
	rdr, err := openReader(data)
	if err != nil {
		return
	}
	d := readDSS(rdr)
	for i := range r.Signatures {
		s := &r.Signatures[i]
		if s.DocumentTimestamp || !s.Valid {
			continue
		}
		s.Level = LevelBB
		if !s.Timestamped {
			continue
		}
		s.Level = LevelBT
		if d == nil {
			continue
		}
		complete, revoked := d.covers(s.chain, s.TimestampTime)
		if revoked {
			s.addProblem("the signing certificate or one of its issuers was revoked before the time-stamp")
			s.Level = ""
			continue
		}
		if !complete {
			continue
		}
		s.Level = LevelBLT
		if archiveTimestamped(data, r, slots, i) {
			s.Level = LevelBLTA
		}
	}
}

// archiveTimestamped reports whether a valid document time-stamp after signature i
// covers a revision that has a DSS.
func archiveTimestamped(data []byte, r *Report, slots []slot, i int) bool {
	for j := i + 1; j < len(r.Signatures); j++ {
		if !r.Signatures[j].DocumentTimestamp || !r.Signatures[j].Valid {
			continue
		}
		rev, err := openReader(data[:slots[j].br[2]+slots[j].br[3]])
		if err == nil && readDSS(rev) != nil {
			return true
		}
	}
	return false
}
