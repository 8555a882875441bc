package signing

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/digitorus/timestamp"
)

// ErrTimestampInvalid reports a time-stamp token that does not prove what
// it is asked to: unreadable, over other data, or from an untrusted TSA.
var ErrTimestampInvalid = errors.New("time-stamp token is not valid")

// Timestamp returns an RFC 3161 time-stamp token over SHA-256(data) from
// [Config.TSAURL], checked against the request (imprint and nonce). A TSA
// that cannot be reached or answers badly is an error wrapping
// [ErrTimestamp]. It serves data that is not a PDF, such as the audit log's
// checkpoints.
func (s *Signer) Timestamp(ctx context.Context, data []byte) ([]byte, error) {
	token, err := s.ts.stamp(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("signing: timestamp: %w", err)
	}
	return token, nil
}

// VerifyTimestamp checks that token is an RFC 3161 time-stamp token over
// data, signed by a TSA certificate that chains to roots at the time the
// token states, and returns that time. A token that fails is an error
// wrapping [ErrTimestampInvalid].
func VerifyTimestamp(token, data []byte, roots *x509.CertPool) (time.Time, error) {
	ts, err := timestamp.Parse(token) // checks the token's own signature
	if err != nil {
		return time.Time{}, fmt.Errorf("signing: verify timestamp: %w: %w", ErrTimestampInvalid, err)
	}
	if !slices.Contains([]crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512}, ts.HashAlgorithm) {
		return ts.Time, fmt.Errorf("signing: verify timestamp: %w: hash %v is not allowed", ErrTimestampInvalid, ts.HashAlgorithm)
	}
	h := ts.HashAlgorithm.New()
	h.Write(data)
	if !bytes.Equal(h.Sum(nil), ts.HashedMessage) {
		return ts.Time, fmt.Errorf("signing: verify timestamp: %w: it is over other data", ErrTimestampInvalid)
	}
	if _, problem := checkTSACertificate(token, ts, roots); problem != "" {
		return ts.Time, fmt.Errorf("signing: verify timestamp: %w: %s", ErrTimestampInvalid, problem)
	}
	return ts.Time, nil
}
