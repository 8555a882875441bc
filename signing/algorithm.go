package signing

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
)

// ErrAlgorithm reports a key or algorithm Circular 15/2025/TT-BKHCN does not allow for
// signing: RSA shorter than 2048 bits, an elliptic curve other than P-256 or P-384, or
// SHA-1.
var ErrAlgorithm = errors.New("algorithm not allowed (Circular 15/2025)")

// MinRSABits is the smallest RSA modulus accepted for signing and verifying.
const MinRSABits = 2048

// checkAlgorithm reports whether pub may sign: RSA of at least MinRSABits (used with
// RSASSA-PSS), or ECDSA on P-256 or P-384.
func checkAlgorithm(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < MinRSABits {
			return fmt.Errorf("%w: RSA key of %d bits (at least %d)", ErrAlgorithm, k.N.BitLen(), MinRSABits)
		}
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
			return fmt.Errorf("%w: curve %s (P-256 or P-384)", ErrAlgorithm, k.Curve.Params().Name)
		}
	default:
		return fmt.Errorf("%w: key type %T (RSA or ECDSA)", ErrAlgorithm, pub)
	}
	return nil
}

// hashFor returns the digest a key signs with: SHA-384 for P-384, SHA-256 otherwise.
func hashFor(pub crypto.PublicKey) crypto.Hash {
	if k, ok := pub.(*ecdsa.PublicKey); ok && k.Curve == elliptic.P384() {
		return crypto.SHA384
	}
	return crypto.SHA256
}

func hashOID(h crypto.Hash) asn1.ObjectIdentifier {
	switch h {
	case crypto.SHA384:
		return oidSHA384
	case crypto.SHA512:
		return oidSHA512
	}
	return oidSHA256
}

// hashByOID returns the hash of a digest algorithm identifier; SHA-1 and unknown
// algorithms give an error.
func hashByOID(oid asn1.ObjectIdentifier) (crypto.Hash, error) {
	switch {
	case oid.Equal(oidSHA256):
		return crypto.SHA256, nil
	case oid.Equal(oidSHA384):
		return crypto.SHA384, nil
	case oid.Equal(oidSHA512):
		return crypto.SHA512, nil
	case oid.Equal(oidSHA1):
		return 0, fmt.Errorf("%w: SHA-1", ErrAlgorithm)
	}
	return 0, fmt.Errorf("%w: digest algorithm %s", ErrAlgorithm, oid)
}

// pssParameters is RSASSA-PSS-params (RFC 4055) with every field explicit.
type pssParameters struct {
	Hash       pkix.AlgorithmIdentifier `asn1:"explicit,tag:0"`
	MGF        pkix.AlgorithmIdentifier `asn1:"explicit,tag:1"`
	SaltLength int                      `asn1:"explicit,tag:2"`
}

// signatureAlgorithm returns the CMS signature algorithm of pub with h: RSASSA-PSS
// (MGF1 with h, salt as long as the hash) or ecdsa-with-SHA*.
func signatureAlgorithm(pub crypto.PublicKey, h crypto.Hash) (pkix.AlgorithmIdentifier, error) {
	if _, ok := pub.(*ecdsa.PublicKey); ok {
		oid := map[crypto.Hash]asn1.ObjectIdentifier{crypto.SHA256: oidECDSAWithSHA256, crypto.SHA384: oidECDSAWithSHA384, crypto.SHA512: oidECDSAWithSHA512}[h]
		return pkix.AlgorithmIdentifier{Algorithm: oid}, nil
	}
	hashAlg := pkix.AlgorithmIdentifier{Algorithm: hashOID(h), Parameters: asn1.NullRawValue}
	mgfParams, err := asn1.Marshal(hashAlg)
	if err != nil {
		return pkix.AlgorithmIdentifier{}, err
	}
	params, err := asn1.Marshal(pssParameters{
		Hash:       hashAlg,
		MGF:        pkix.AlgorithmIdentifier{Algorithm: oidMGF1, Parameters: asn1.RawValue{FullBytes: mgfParams}},
		SaltLength: h.Size(),
	})
	if err != nil {
		return pkix.AlgorithmIdentifier{}, err
	}
	return pkix.AlgorithmIdentifier{Algorithm: oidRSASSAPSS, Parameters: asn1.RawValue{FullBytes: params}}, nil
}

// checkSignature verifies sig over digest (made with h) by pub under the CMS signature
// algorithm alg, and names the algorithm. PKCS#1 v1.5 verifies but is named as such:
// Circular 15/2025 asks for RSASSA-PSS.
func checkSignature(pub crypto.PublicKey, alg pkix.AlgorithmIdentifier, h crypto.Hash, digest, sig []byte) (string, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		name := "ECDSA " + k.Curve.Params().Name + " " + h.String()
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return name, errors.New("signature value is wrong")
		}
		return name, nil
	case *rsa.PublicKey:
		if k.N.BitLen() < MinRSABits {
			return "", fmt.Errorf("%w: RSA key of %d bits", ErrAlgorithm, k.N.BitLen())
		}
		if alg.Algorithm.Equal(oidRSASSAPSS) {
			var p pssParameters
			if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || !p.Hash.Algorithm.Equal(hashOID(h)) {
				return "", errors.New("RSASSA-PSS parameters are unreadable or name another hash")
			}
			name := fmt.Sprintf("RSASSA-PSS %d %s", k.N.BitLen(), h)
			return name, rsa.VerifyPSS(k, h, digest, sig, &rsa.PSSOptions{SaltLength: p.SaltLength, Hash: h})
		}
		name := fmt.Sprintf("RSA PKCS#1 v1.5 %d %s", k.N.BitLen(), h)
		return name, rsa.VerifyPKCS1v15(k, h, digest, sig)
	}
	return "", fmt.Errorf("%w: key type %T", ErrAlgorithm, pub)
}
