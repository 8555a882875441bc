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
	LevelBLT  = "B-LT"  // plus the validation material in a DSS, revocation data included
	LevelBLTA = "B-LTA" // plus a document time-stamp over that DSS

	// LevelBLTNoRevocation and LevelBLTANoRevocation are B-LT and B-LTA but for the
	// revocation data of a certificate that names no CRL distribution point or OCSP
	// responder, so that none can be had: its revocation cannot be checked, now or later.
	LevelBLTNoRevocation  = LevelBLT + noRevocation
	LevelBLTANoRevocation = LevelBLTA + noRevocation
)

const noRevocation = " without revocation data"

// Values of [SignatureInfo.Revocation].
const (
	// RevocationComplete: the DSS holds a CRL for every certificate of the chains.
	RevocationComplete = "complete"
	// RevocationNotNamed: a certificate names no CRL or OCSP responder and the DSS holds
	// no revocation data for it; the others have theirs.
	RevocationNotNamed = "not-named"
	// RevocationMissing: a certificate names a CRL or OCSP responder but the DSS holds
	// no CRL for it (OCSP responses in the DSS are not read by this verifier).
	RevocationMissing = "missing"
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

// covers reports whether the DSS holds the certificates of chains (each from a
// certificate to its trust anchor, which needs nothing), what revocation data it holds
// for them (Revocation* values), and whether one of them is revoked at t.
func (d *dss) covers(chains [][]*x509.Certificate, t time.Time) (certs bool, revocation string, revoked bool) {
	certs, revocation = true, RevocationComplete
	for _, chain := range chains {
		for i := 0; i+1 < len(chain); i++ {
			c := chain[i]
			certs = certs && d.hasCert(c)
			crl := d.crlFrom(chain[i+1])
			switch {
			case crl != nil:
				for _, e := range crl.RevokedCertificateEntries {
					revoked = revoked || e.SerialNumber.Cmp(c.SerialNumber) == 0 && !e.RevocationTime.After(t)
				}
			case len(c.CRLDistributionPoints) > 0 || len(c.OCSPServer) > 0:
				revocation = RevocationMissing
			case revocation == RevocationComplete:
				revocation = RevocationNotNamed
			}
		}
	}
	return certs, revocation, revoked
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
		certs, revocation, revoked := d.covers([][]*x509.Certificate{s.chain, s.tsaChain}, s.TimestampTime)
		s.Revocation = revocation
		if revoked {
			s.addProblem("the signing certificate or one of its issuers was revoked before the time-stamp")
			s.Level = ""
			continue
		}
		if !certs || revocation == RevocationMissing {
			continue
		}
		s.Level = LevelBLT
		if archiveTimestamped(data, r, slots, i) {
			s.Level = LevelBLTA
		}
		if revocation == RevocationNotNamed {
			s.Level += noRevocation
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
