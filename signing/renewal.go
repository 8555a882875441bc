package signing

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
)

// AlgorithmLifetimes says until when each algorithm protects an archived signature, for
// [NeedsRenewal]: a zero time means no end is foreseen. The dates follow ETSI TS 119
// 312 and NIST SP 800-57 (112-bit security ends with 2030); review them when those
// change. SHA-1 ended long ago.
var AlgorithmLifetimes = map[string]time.Time{
	"SHA-1":       time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC),
	"SHA-224":     time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC),
	"SHA-256":     {},
	"SHA-384":     {},
	"SHA-512":     {},
	"RSA-2048":    time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC), // any RSA key below 3072 bits
	"RSA-3072":    {},                                            // and longer
	"ECDSA-P-256": {},
	"ECDSA-P-384": {},
	"ECDSA-P-521": {},
	"unknown":     time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
}

// NeedsRenewal reports whether pdf needs a new document time-stamp (an archive
// time-stamp, [Signer.Archive]) at now: when it has no time-stamp, or the newest
// time-stamp's TSA certificate expires within margin, or the newest time-stamp's hash or
// TSA key algorithm reaches the end of its lifetime ([AlgorithmLifetimes]) within
// margin; that is, when [TrustedUntil] is no later than now + margin. reason says why,
// in English; it is empty when no renewal is needed. The renewal job records the
// renewal it makes.
func NeedsRenewal(pdf []byte, now time.Time, margin time.Duration) (bool, string, error) {
	until, reason, err := TrustedUntil(pdf)
	if err != nil {
		return false, "", fmt.Errorf("signing: needs renewal: %w", err)
	}
	if RenewalDue(until, now, margin) {
		return true, reason, nil
	}
	return false, "", nil
}

// RenewalDue reports whether a document trusted until until ([TrustedUntil];
// zero: not at all) needs a new document time-stamp at now: when until is
// no later than now + margin. A catalog that keeps until finds the
// documents due by the same rule.
func RenewalDue(until, now time.Time, margin time.Duration) bool {
	return until.IsZero() || !until.After(now.Add(margin))
}

// TrustedUntil returns until when the newest time-stamp of pdf keeps it
// trustworthy: the end of that time-stamp's TSA certificate or, when sooner,
// the end of the lifetime of its hash or TSA key algorithm
// ([AlgorithmLifetimes]). reason says which, in English. A document with no
// readable time-stamp is trusted no longer: until is the zero time. A file
// that is not a PDF is an error. Renewal is due margin before until
// ([NeedsRenewal]), so a catalog may keep until and ask for the documents
// due by a date without reading them.
func TrustedUntil(pdf []byte) (until time.Time, reason string, err error) {
	if _, err := lastStartXref(pdf); err != nil {
		return time.Time{}, "", fmt.Errorf("signing: trusted until: %w", err)
	}
	var newest *timestamp.Timestamp
	var tsa *x509.Certificate
	for _, token := range timestampTokens(pdf) {
		ts, err := timestamp.Parse(token)
		if err != nil || (newest != nil && !ts.Time.After(newest.Time)) {
			continue
		}
		p7, err := pkcs7.Parse(token)
		if err != nil || p7.GetOnlySigner() == nil {
			continue
		}
		newest, tsa = ts, p7.GetOnlySigner()
	}
	if newest == nil {
		return time.Time{}, "the document has no readable time-stamp", nil
	}
	until = tsa.NotAfter
	reason = fmt.Sprintf("the TSA certificate %q of the newest time-stamp (%s) expires on %s",
		tsa.Subject.CommonName, newest.Time.UTC().Format(time.RFC3339), tsa.NotAfter.UTC().Format(time.DateOnly))
	for _, alg := range []string{hashName(newest.HashAlgorithm), keyName(tsa.PublicKey)} {
		end, ok := AlgorithmLifetimes[alg]
		if !ok {
			end = AlgorithmLifetimes["unknown"]
		}
		if !end.IsZero() && end.Before(until) {
			until = end
			reason = fmt.Sprintf("algorithm %s of the newest time-stamp is trusted until %s", alg, end.Format(time.DateOnly))
		}
	}
	return until, reason, nil
}

// timestampTokens returns the signature time-stamps and document time-stamps of data.
func timestampTokens(data []byte) [][]byte {
	var out [][]byte
	for _, sl := range findSlots(data) {
		if sl.bad != "" {
			continue
		}
		der, err := sl.contents(data)
		if err != nil {
			continue
		}
		if isDocTimestamp(data, sl) {
			out = append(out, der)
			continue
		}
		p7, err := pkcs7.Parse(der)
		if err != nil || len(p7.Signers) == 0 {
			continue
		}
		for _, a := range p7.Signers[0].UnauthenticatedAttributes {
			if a.Type.Equal(oidAttrTimeStampToken) {
				out = append(out, a.Value.Bytes)
			}
		}
	}
	return out
}

func hashName(h crypto.Hash) string {
	switch h {
	case crypto.SHA1:
		return "SHA-1"
	case crypto.SHA224:
		return "SHA-224"
	case crypto.SHA256:
		return "SHA-256"
	case crypto.SHA384:
		return "SHA-384"
	case crypto.SHA512:
		return "SHA-512"
	}
	return h.String()
}

func keyName(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 3072 {
			return "RSA-2048"
		}
		return "RSA-3072"
	case *ecdsa.PublicKey:
		return "ECDSA-" + k.Curve.Params().Name
	}
	return fmt.Sprintf("%T", pub)
}
