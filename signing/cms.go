package signing

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"

	"github.com/digitorus/timestamp"
)

// Object identifiers of the CMS structures and attributes written here (RFC 5652,
// RFC 5035, RFC 3161).
var (
	oidData               = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidAttrContentType    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningTime    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidAttrSigningCertV2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidAttrTimeStampToken = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	oidSHA256             = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384             = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512             = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidSHA1               = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidECDSAWithSHA256    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidECPublicKey        = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidRSAEncryption      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidRSASSAPSS          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidMGF1               = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
)

// ErrTimestamp reports a failure to obtain a time-stamp: the TSA is unreachable, too slow,
// refused, or answered with a token that does not fit the request. It is usually worth
// retrying later.
var ErrTimestamp = errors.New("time-stamp authority failed")

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue // [0] EXPLICIT, built by hand: encoding/asn1 ignores tags on a RawValue
}

type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type signerInfo struct {
	Version            int
	SID                issuerAndSerial
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue // [0] IMPLICIT SET OF Attribute
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional"` // [1] IMPLICIT SET OF Attribute
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue // [0] IMPLICIT CertificateSet
	SignerInfos      []signerInfo  `asn1:"set"`
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue // SET OF AttributeValue
}

// essCertIDv2 omits hashAlgorithm (SHA-256 is the default) and issuerSerial (which
// CAdES baseline signatures should not carry).
type essCertIDv2 struct {
	CertHash []byte
}

type signingCertificateV2 struct {
	Certs []essCertIDv2
}

// newAttribute returns an attribute holding the single value v (a Go value for
// encoding/asn1, or an asn1.RawValue).
func newAttribute(oid asn1.ObjectIdentifier, v any) (attribute, error) {
	der, err := asn1.Marshal(v)
	if err != nil {
		return attribute{}, err
	}
	return attribute{Type: oid, Values: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: der}}, nil
}

// marshalAttributes returns the DER SET OF attrs (sorted, as DER requires) with its
// first byte replaced by tag, as [0] or [1] IMPLICIT wants.
func marshalAttributes(attrs []attribute, tag byte) ([]byte, error) {
	der, err := asn1.MarshalWithParams(attrs, "set")
	if err != nil {
		return nil, err
	}
	der[0] = tag
	return der, nil
}

// signedAttributes are the PAdES baseline signed attributes for content signed by cert:
// content-type, message-digest (with h) and signing-certificate-v2, and no signing-time.
func signedAttributes(content []byte, cert *x509.Certificate, h crypto.Hash) ([]attribute, error) {
	d := h.New()
	d.Write(content)
	digest := d.Sum(nil)
	certHash := sha256.Sum256(cert.Raw)
	values := []struct {
		oid asn1.ObjectIdentifier
		v   any
	}{
		{oidAttrContentType, oidData},
		{oidAttrMessageDigest, digest},
		{oidAttrSigningCertV2, signingCertificateV2{Certs: []essCertIDv2{{CertHash: certHash[:]}}}},
	}
	attrs := make([]attribute, 0, len(values))
	for _, a := range values {
		attr, err := newAttribute(a.oid, a.v)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, attr)
	}
	return attrs, nil
}

// newSignerInfo signs content with id and returns the signer info without unsigned
// attributes. RSA keys sign with RSASSA-PSS, ECDSA keys with ECDSA; the hash follows
// the key ([hashFor]).
func newSignerInfo(id *Identity, content []byte) (signerInfo, error) {
	h := hashFor(id.Signer.Public())
	attrs, err := signedAttributes(content, id.Certificate, h)
	if err != nil {
		return signerInfo{}, err
	}
	toSign, err := marshalAttributes(attrs, 0x31) // signed as a plain SET OF
	if err != nil {
		return signerInfo{}, err
	}
	d := h.New()
	d.Write(toSign)
	var opts crypto.SignerOpts = h
	if _, ok := id.Signer.Public().(*rsa.PublicKey); ok {
		opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}
	}
	sig, err := id.Signer.Sign(rand.Reader, d.Sum(nil), opts)
	if err != nil {
		return signerInfo{}, fmt.Errorf("private key: %w", err)
	}
	sigAlg, err := signatureAlgorithm(id.Signer.Public(), h)
	if err != nil {
		return signerInfo{}, err
	}
	toSign[0] = 0xa0
	return signerInfo{
		Version:            1,
		SID:                issuerAndSerial{Issuer: asn1.RawValue{FullBytes: id.Certificate.RawIssuer}, Serial: id.Certificate.SerialNumber},
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: hashOID(h)},
		SignedAttrs:        asn1.RawValue{FullBytes: toSign},
		SignatureAlgorithm: sigAlg,
		Signature:          sig,
	}, nil
}

// marshalSignedData wraps si in a detached ContentInfo carrying id's certificates.
func marshalSignedData(id *Identity, si signerInfo) ([]byte, error) {
	var certs bytes.Buffer
	certs.Write(id.Certificate.Raw)
	for _, c := range id.Chain {
		certs.Write(c.Raw)
	}
	sd := signedData{
		Version:          1,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{si.DigestAlgorithm},
		EncapContentInfo: encapContentInfo{EContentType: oidData},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs.Bytes()},
		SignerInfos:      []signerInfo{si},
	}
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(contentInfo{
		ContentType: oidSignedData,
		Content:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner},
	})
}

// timestamper asks an RFC 3161 time-stamp authority over HTTP.
type timestamper struct {
	url     string
	client  *http.Client
	timeout time.Duration
}

// stamp returns a time-stamp token over SHA-256(value), checked against the request.
// ctx and the timestamper's timeout bound the whole exchange, body included.
func (t timestamper) stamp(ctx context.Context, value []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	digest := sha256.Sum256(value)
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, err
	}
	query, err := (&timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: digest[:], Certificates: true, Nonce: nonce}).Marshal()
	if err != nil {
		return nil, err
	}
	body, err := t.post(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrTimestamp, t.url, err)
	}
	ts, err := timestamp.ParseResponse(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: reply: %w", ErrTimestamp, t.url, err)
	}
	if ts.HashAlgorithm != crypto.SHA256 || !bytes.Equal(ts.HashedMessage, digest[:]) || ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0 {
		return nil, fmt.Errorf("%w: %s: token does not answer the request (imprint or nonce differs)", ErrTimestamp, t.url)
	}
	return ts.RawToken, nil
}

// post sends query and returns the reply body of a 200 answer.
func (t timestamper) post(ctx context.Context, query []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(query))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", timestampQueryType)
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s: %.200q", resp.Status, body)
	}
	return body, nil
}

// buildCMS returns the detached CMS SignedData of content signed by id, with a signature
// time-stamp from ts.
func buildCMS(ctx context.Context, id *Identity, ts timestamper, content []byte) ([]byte, error) {
	si, err := newSignerInfo(id, content)
	if err != nil {
		return nil, err
	}
	token, err := ts.stamp(ctx, si.Signature)
	if err != nil {
		return nil, err
	}
	attr, err := newAttribute(oidAttrTimeStampToken, asn1.RawValue{FullBytes: token})
	if err != nil {
		return nil, err
	}
	unsigned, err := marshalAttributes([]attribute{attr}, 0xa1)
	if err != nil {
		return nil, err
	}
	si.UnsignedAttrs = asn1.RawValue{FullBytes: unsigned}
	return marshalSignedData(id, si)
}
