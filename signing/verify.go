package signing

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
)

// ErrNotPDF reports input that is not a PDF file, or one too damaged to read.
var ErrNotPDF = errors.New("not a PDF file")

// Report is the outcome of [Verify].
type Report struct {
	// Signatures lists every signature in file order: the earliest first.
	Signatures []SignatureInfo `json:"signatures"`
	// Valid reports that the document has at least one signature, every signature is
	// valid, the last covers the whole file and Problem is empty.
	Valid bool `json:"valid"`
	// Problem describes what is wrong with the document as a whole (no signature, a
	// damaged file); empty when nothing is.
	Problem string `json:"problem,omitempty"`
	// Damaged reports a file whose signatures or updates cannot be read as written: a
	// ByteRange outside the file or over more than the signature's /Contents,
	// signatures that overlap, cross-reference sections that do not chain, objects that
	// cannot be read. Problem then starts with "the file is damaged" and says why; such
	// a document is never valid.
	Damaged bool `json:"damaged,omitempty"`
}

// SignatureInfo describes one signature.
type SignatureInfo struct {
	Signer       string `json:"signer"`                 // common name of the signing certificate
	Organisation string `json:"organisation,omitempty"` // organisation of the signing certificate
	// SigningTime is the time the signer claims (/M, or the CMS signing-time
	// attribute); zero when absent. Trust TimestampTime instead.
	SigningTime time.Time `json:"signing_time,omitzero"`
	// Timestamped reports an RFC 3161 signature time-stamp; TimestampTime is its time.
	Timestamped   bool      `json:"timestamped"`
	TimestampTime time.Time `json:"timestamp_time,omitzero"`
	// Valid reports that the signed bytes are unchanged, the signature is correct, the
	// signing certificate chains to the roots (at the time-stamp's time when there is
	// one, otherwise now), and the time-stamp, if any, is correct and from a TSA
	// certificate that chains to the roots.
	Valid bool `json:"valid"`
	// Problem is a human-readable account of why the signature is not valid; empty when
	// it is.
	Problem string `json:"problem,omitempty"`
	// CoversWholeFile reports that the signature covers every byte of the file but its
	// own /Contents: nothing was appended after it.
	CoversWholeFile bool `json:"covers_whole_file"`
	// DocumentTimestamp reports a document time-stamp (ETSI.RFC3161) rather than a
	// signature: Signer is then the TSA and TimestampTime its time.
	DocumentTimestamp bool `json:"document_timestamp,omitempty"`
	// Level is the PAdES baseline level reached: [LevelBB], [LevelBT], [LevelBLT],
	// [LevelBLTA], or [LevelBLTNoRevocation] and [LevelBLTANoRevocation] when the DSS
	// holds no revocation data for a certificate that names no CRL or OCSP responder;
	// empty for an invalid signature, a document time-stamp or a damaged file.
	Level string `json:"level,omitempty"`
	// Algorithm names the signature algorithm, such as "RSASSA-PSS 3072 SHA-256".
	Algorithm string `json:"algorithm,omitempty"`
	// Chain lists the common names from the signing certificate to the trust anchor.
	Chain []string `json:"chain,omitempty"`
	// CertificateSHA256 is the hex SHA-256 of the signing certificate, to compare with
	// the certificates this repository signs with.
	CertificateSHA256 string `json:"certificate_sha256,omitempty"`
	// DocMDP is the permission (1 to 3) of a certification signature, 0 for an approval
	// signature. Locked reports a signature that locked the document.
	DocMDP int  `json:"docmdp,omitempty"`
	Locked bool `json:"locked,omitempty"`
	// LaterChanges classifies what the updates after this signature changed; empty when
	// it covers the whole file.
	LaterChanges []Change `json:"later_changes,omitempty"`
	// Widget is where the signature's visible block is (page, rectangle in mm); nil for
	// an invisible signature or a document time-stamp.
	Widget *WidgetPlace `json:"widget,omitempty"`

	// Revocation says whether the DSS holds revocation data for the certificates of the
	// signing and time-stamp chains (the trust anchors need none): [RevocationComplete],
	// [RevocationNotNamed] or [RevocationMissing]; empty when the document has no DSS
	// or the signature is not valid.
	Revocation string `json:"revocation,omitempty"`

	chain    []*x509.Certificate // the verified chain, signing certificate first
	tsaChain []*x509.Certificate // the verified chain of the signature time-stamp's TSA
}

// Verify checks every signature of pdf against roots (nil means the system roots).
// A signature that does not verify is reported in the Report, not as an error; so is a
// damaged file ([Report.Damaged]). The error is for input that is not a PDF
// ([ErrNotPDF]).
func Verify(pdf []byte, roots *x509.CertPool) (*Report, error) {
	r, err := verify(pdf, roots)
	if err != nil {
		return nil, fmt.Errorf("signing: verify: %w", err)
	}
	return r, nil
}

func verify(data []byte, roots *x509.CertPool) (r *Report, err error) {
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: no %%PDF- header in the first 1024 bytes", ErrNotPDF)
	}
	if roots == nil {
		if roots, err = x509.SystemCertPool(); err != nil {
			return nil, fmt.Errorf("system roots: %w", err)
		}
	}
	defer func() {
		if v := recover(); v != nil { // the last net: the checks below should not panic
			r, err = &Report{}, nil
			r.damage(fmt.Sprintf("the verifier could not read it (%v)", v))
		}
	}()
	fields, fieldsErr := readSignatureFields(data)
	r = &Report{}
	slots := findSlots(data)
	timestamp := func(sl slot) bool { return fields[sl.br].timestamp || isDocTimestamp(data, sl) }
	restrictions := make([]int, len(slots))
	pre := newPrefixDigests(data, slots)
	for i, sl := range slots {
		f, ok := fields[sl.br]
		info := verifySlot(data, sl, pre, roots, timestamp(sl))
		switch {
		case ok:
			info.DocMDP, info.Locked = f.docMDP, f.lockP == DocMDPNoChanges
			info.Widget = f.place
			restrictions[i] = f.restriction()
			if !f.m.IsZero() {
				info.SigningTime = f.m
			}
		case fieldsErr == nil && sl.bad == "":
			info.addProblem("no signature field of the document refers to this signature")
		}
		r.Signatures = append(r.Signatures, info)
	}
	switch {
	case fieldsErr != nil:
		r.damage("the document structure cannot be read: " + fieldsErr.Error())
	case len(r.Signatures) == 0:
		r.Problem = "no signatures"
	default:
		r.damage(checkSlots(data, slots))
	}
	if r.Problem == "" {
		r.damage(judgeChanges(data, r, slots, restrictions, timestamp))
	}
	if r.Problem == "" {
		setLevels(data, r, slots)
	}
	r.Valid = r.Problem == ""
	for _, s := range r.Signatures {
		r.Valid = r.Valid && s.Valid && allowed(s.LaterChanges)
	}
	return r, nil
}

// judgeChanges sets the later changes of every signature that does not cover the whole
// file, and returns why the updates cannot be read, if they cannot.
func judgeChanges(data []byte, r *Report, slots []slot, restrictions []int, timestamp func(slot) bool) string {
	h, err := readHistory(data, slots, timestamp)
	if err != nil {
		return err.Error()
	}
	for i := range r.Signatures {
		s := &r.Signatures[i]
		k, ok := h.revisionOf(slots[i].br[2] + slots[i].br[3])
		if !ok {
			return fmt.Sprintf("signature %d covers part of an update", i+1)
		}
		if !s.CoversWholeFile {
			s.LaterChanges = h.later(k, restrictions[i])
		}
	}
	return ""
}

func (info *SignatureInfo) addProblem(p string) {
	if info.Problem != "" {
		info.Problem += "; "
	}
	info.Problem += p
	info.Valid = false
}

// verifySlot checks the signature in sl: a CAdES signature, or a document time-stamp
// when docTS.
func verifySlot(data []byte, sl slot, pre *prefixDigests, roots *x509.CertPool, docTS bool) SignatureInfo {
	info := SignatureInfo{Valid: true, DocumentTimestamp: docTS}
	if sl.bad != "" {
		info.addProblem(sl.bad)
		return info
	}
	info.CoversWholeFile = sl.br[2]+sl.br[3] == int64(len(data))
	der, err := sl.contents(data)
	if err != nil {
		info.addProblem("signature is not hex: " + err.Error())
		return info
	}
	if docTS {
		verifyDocTimestamp(&info, der, sl.covered(data, pre), roots)
		return info
	}
	p7, err := pkcs7.Parse(der)
	if err != nil || len(p7.Signers) != 1 || p7.GetOnlySigner() == nil {
		info.addProblem("signature is not a CMS SignedData with one signer and its certificate")
		return info
	}
	ee := p7.GetOnlySigner()
	describeSigner(&info, ee)
	info.SigningTime = signingTimeAttribute(p7)
	at := time.Now()
	tsTime, stamped, tsProblem := checkTimestamp(p7, roots, &info)
	if stamped {
		info.Timestamped, info.TimestampTime = true, tsTime
		if tsProblem == "" {
			at = tsTime
		}
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: pool(p7.Certificates), CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
	alg, problems := verifyCMS(p7, der, sl.covered(data, pre), opts, &info)
	info.Algorithm = alg
	for _, p := range problems {
		info.addProblem(p)
	}
	if problem := checkSigningCertificate(p7, ee); problem != "" {
		info.addProblem(problem)
	}
	if tsProblem != "" {
		info.addProblem(tsProblem)
	}
	return info
}

// describeSigner fills the signer's names and certificate hash.
func describeSigner(info *SignatureInfo, ee *x509.Certificate) {
	info.Signer = ee.Subject.CommonName
	if len(ee.Subject.Organization) > 0 {
		info.Organisation = ee.Subject.Organization[0]
	}
	sum := sha256.Sum256(ee.Raw)
	info.CertificateSHA256 = hex.EncodeToString(sum[:])
}

// describe turns a pkcs7 verification error into a sentence.
func describe(err error) string {
	var mismatch *pkcs7.MessageDigestMismatchError
	if errors.As(err, &mismatch) {
		return "the signed bytes were changed after signing"
	}
	msg := strings.TrimPrefix(err.Error(), "pkcs7: ")
	return strings.Join(strings.Fields(msg), " ")
}

func pool(certs []*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}

// signedAttribute returns the DER value of the signer's signed attribute oid, or nil.
func signedAttribute(p7 *pkcs7.PKCS7, oid asn1.ObjectIdentifier) []byte {
	for _, a := range p7.Signers[0].AuthenticatedAttributes {
		if a.Type.Equal(oid) {
			return a.Value.Bytes
		}
	}
	return nil
}

func signingTimeAttribute(p7 *pkcs7.PKCS7) time.Time {
	var t time.Time
	if v := signedAttribute(p7, oidAttrSigningTime); v != nil {
		_, _ = asn1.Unmarshal(v, &t)
	}
	return t
}

// checkSigningCertificate checks the signing-certificate-v2 attribute, when present,
// against the certificate that verified the signature.
func checkSigningCertificate(p7 *pkcs7.PKCS7, ee *x509.Certificate) string {
	v := signedAttribute(p7, oidAttrSigningCertV2)
	if v == nil {
		return ""
	}
	var sc struct {
		Certs []struct {
			HashAlgorithm pkix.AlgorithmIdentifier `asn1:"optional"`
			CertHash      []byte
			IssuerSerial  asn1.RawValue `asn1:"optional"`
		}
	}
	if _, err := asn1.Unmarshal(v, &sc); err != nil || len(sc.Certs) == 0 {
		return "signing-certificate-v2 attribute is malformed"
	}
	h := crypto.SHA256
	switch alg := sc.Certs[0].HashAlgorithm.Algorithm; {
	case alg.Equal(asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}):
		h = crypto.SHA384
	case alg.Equal(asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}):
		h = crypto.SHA512
	}
	d := h.New()
	d.Write(ee.Raw)
	if !bytes.Equal(d.Sum(nil), sc.Certs[0].CertHash) {
		return "signing-certificate-v2 attribute names another certificate"
	}
	return ""
}

// checkTimestamp finds and checks the signature time-stamp of p7's signer. It reports
// whether there is one, its time, and what is wrong with it, and records the TSA's
// chain in info.
func checkTimestamp(p7 *pkcs7.PKCS7, roots *x509.CertPool, info *SignatureInfo) (time.Time, bool, string) {
	si := p7.Signers[0]
	for _, a := range si.UnauthenticatedAttributes {
		if !a.Type.Equal(oidAttrTimeStampToken) {
			continue
		}
		ts, err := timestamp.Parse(a.Value.Bytes) // checks the token's own signature
		if err != nil {
			return time.Time{}, true, "time-stamp is unreadable or its signature is invalid: " + describe(err)
		}
		if !ts.HashAlgorithm.Available() {
			return ts.Time, true, "time-stamp uses an unsupported hash"
		}
		h := ts.HashAlgorithm.New()
		h.Write(si.EncryptedDigest)
		if !bytes.Equal(h.Sum(nil), ts.HashedMessage) {
			return ts.Time, true, "time-stamp is for another signature"
		}
		chain, problem := checkTSACertificate(a.Value.Bytes, ts, roots)
		info.tsaChain = chain
		return ts.Time, true, problem
	}
	return time.Time{}, false, ""
}

// checkTSACertificate checks that the token was signed by a TSA certificate that chains
// to roots at the time-stamp's time, and returns that chain.
func checkTSACertificate(token []byte, ts *timestamp.Timestamp, roots *x509.CertPool) ([]*x509.Certificate, string) {
	tp7, err := pkcs7.Parse(token)
	if err != nil || tp7.GetOnlySigner() == nil {
		return nil, "time-stamp carries no TSA certificate"
	}
	opts := x509.VerifyOptions{
		Roots:         roots,
		Intermediates: pool(ts.Certificates),
		CurrentTime:   ts.Time,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
	}
	chains, err := tp7.GetOnlySigner().Verify(opts)
	if err != nil {
		return nil, "TSA certificate is not trusted: " + err.Error()
	}
	return chains[0], ""
}
