package signing_test

import (
	"context"
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/signing"
)

// TestTimestampToken: a token over data verifies against the roots of its
// TSA, and not over other data or under other roots.
func TestTimestampToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	data := []byte("khoso audit checkpoint 2|100|ab")
	token, err := b.signer.Timestamp(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	at, err := signing.VerifyTimestamp(token, data, b.roots)
	if err != nil || time.Since(at) > time.Minute {
		t.Fatalf("VerifyTimestamp = %v, %v; want now, nil", at, err)
	}
	if _, err := signing.VerifyTimestamp(token, []byte("other data"), b.roots); !errors.Is(err, signing.ErrTimestampInvalid) {
		t.Errorf("token over other data: %v, want ErrTimestampInvalid", err)
	}
	other := setupAgency(t, "Sở khác")
	if _, err := signing.VerifyTimestamp(token, data, other.roots); !errors.Is(err, signing.ErrTimestampInvalid) {
		t.Errorf("token under other roots: %v, want ErrTimestampInvalid", err)
	}
	if _, err := signing.VerifyTimestamp([]byte("junk"), data, x509.NewCertPool()); !errors.Is(err, signing.ErrTimestampInvalid) {
		t.Errorf("junk token: %v, want ErrTimestampInvalid", err)
	}
}
