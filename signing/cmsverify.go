package signing

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"slices"

	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
)

// rawSigner is the part of a CMS SignerInfo the verifier reads itself:
// github.com/digitorus/pkcs7 does not know RSASSA-PSS.
type rawSigner struct {
	digestAlg   pkix.AlgorithmIdentifier
	signedAttrs []byte // DER, [0] IMPLICIT tag
	sigAlg      pkix.AlgorithmIdentifier
	signature   []byte
}

// parseSigner reads the first SignerInfo of the DER ContentInfo der.
func parseSigner(der []byte) (rawSigner, error) {
	var rs rawSigner
	var ci struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,tag:0"`
	}
	if _, err := asn1.Unmarshal(der, &ci); err != nil {
		return rs, err
	}
	var sd []asn1.RawValue
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(sd) < 4 {
		return rs, errors.New("SignedData is malformed")
	}
	var infos []asn1.RawValue
	if _, err := asn1.UnmarshalWithParams(sd[len(sd)-1].FullBytes, &infos, "set"); err != nil || len(infos) != 1 {
		return rs, errors.New("SignedData has not exactly one SignerInfo")
	}
	var el []asn1.RawValue
	if _, err := asn1.Unmarshal(infos[0].FullBytes, &el); err != nil || len(el) < 6 {
		return rs, errors.New("SignerInfo is malformed")
	}
	if el[3].Class != asn1.ClassContextSpecific || el[3].Tag != 0 {
		return rs, errors.New("SignerInfo has no signed attributes")
	}
	rs.signedAttrs = el[3].FullBytes
	if _, err := asn1.Unmarshal(el[2].FullBytes, &rs.digestAlg); err != nil {
		return rs, err
	}
	if _, err := asn1.Unmarshal(el[4].FullBytes, &rs.sigAlg); err != nil {
		return rs, err
	}
	_, err := asn1.Unmarshal(el[5].FullBytes, &rs.signature)
	return rs, err
}

// verifyCMS checks the one signer of p7 (whose DER is der) over content: digest,
// signature value, algorithm policy and certificate chain. It returns the algorithm's
// name and the problems found, and records the chain in info.
func verifyCMS(p7 *pkcs7.PKCS7, der []byte, content covered, opts x509.VerifyOptions, info *SignatureInfo) (string, []string) {
	rs, err := parseSigner(der)
	if err != nil {
		return "", []string{"signature is unreadable: " + err.Error()}
	}
	h, err := hashByOID(rs.digestAlg.Algorithm)
	if err != nil {
		return "", []string{err.Error()}
	}
	var problems []string
	var md []byte
	if v := signedAttribute(p7, oidAttrMessageDigest); v != nil {
		_, _ = asn1.Unmarshal(v, &md)
	}
	if !bytes.Equal(md, content.digest(h)) {
		problems = append(problems, "the signed bytes were changed after signing")
	}
	attrs := bytes.Clone(rs.signedAttrs)
	attrs[0] = 0x31
	d := h.New()
	d.Write(attrs)
	ee := p7.GetOnlySigner()
	alg, err := checkSignature(ee.PublicKey, rs.sigAlg, h, d.Sum(nil), rs.signature)
	if err != nil {
		problems = append(problems, "signature value does not verify: "+err.Error())
	}
	chains, err := ee.Verify(opts)
	if err != nil {
		return alg, append(problems, describe(err))
	}
	info.chain = chains[0]
	for _, c := range chains[0] {
		info.Chain = append(info.Chain, c.Subject.CommonName)
	}
	return alg, problems
}

// isDocTimestamp reports whether the dictionary of sl says it is a document time-stamp,
// for files whose fields cannot be read. A slot whose ByteRange does not fit the file is
// not one.
func isDocTimestamp(data []byte, sl slot) bool {
	if sl.bad != "" {
		return false
	}
	head := data[max(0, sl.br[1]-1024):sl.br[1]]
	if i := bytes.LastIndex(head, []byte(" obj")); i >= 0 {
		head = head[i:]
	}
	tail := data[sl.br[2]:min(int64(len(data)), sl.br[2]+512)]
	if i := bytes.Index(tail, []byte("endobj")); i >= 0 {
		tail = tail[:i]
	}
	return bytes.Contains(head, []byte("/ETSI.RFC3161")) || bytes.Contains(tail, []byte("/ETSI.RFC3161"))
}

// verifyDocTimestamp checks a document time-stamp token der over content.
func verifyDocTimestamp(info *SignatureInfo, der []byte, content covered, roots *x509.CertPool) {
	ts, err := timestamp.Parse(der) // checks the token's own signature
	if err != nil {
		info.addProblem("document time-stamp is unreadable or its signature is invalid: " + describe(err))
		return
	}
	info.Timestamped, info.TimestampTime = true, ts.Time
	if p7, err := pkcs7.Parse(der); err == nil && p7.GetOnlySigner() != nil {
		describeSigner(info, p7.GetOnlySigner())
	}
	if !slices.Contains([]crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512}, ts.HashAlgorithm) {
		info.addProblem("document time-stamp uses a hash that is not allowed")
		return
	}
	if !bytes.Equal(content.digest(ts.HashAlgorithm), ts.HashedMessage) {
		info.addProblem("the time-stamped bytes were changed after time-stamping")
	}
	info.Algorithm = "RFC 3161 " + ts.HashAlgorithm.String()
	if _, problem := checkTSACertificate(der, ts, roots); problem != "" {
		info.addProblem(problem)
	}
}
