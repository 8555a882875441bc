package signing_test

import (
	"bytes"
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/digitorus/timestamp"

	"github.com/khoso-vn/khoso/signing"
)

func newTestTSA(tb testing.TB, clock func() time.Time) (*signing.DevIdentity, *httptest.Server) {
	tb.Helper()
	dev, err := signing.EnsureDevelopmentIdentity(tb.TempDir(), "Sở Tư pháp", time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	h, err := signing.NewTSA(dev.TSA, clock)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return dev, srv
}

func postQuery(tb testing.TB, url, contentType string, query []byte) (*http.Response, []byte) {
	tb.Helper()
	resp, err := http.Post(url, contentType, bytes.NewReader(query))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, body
}

func TestTSAIssuesTokens(t *testing.T) {
	t.Parallel()
	at := time.Now().Add(-90 * time.Second).Truncate(time.Second)
	dev, srv := newTestTSA(t, func() time.Time { return at })
	digest := sha256.Sum256([]byte("chữ ký"))
	serials := map[string]bool{}
	for i := range 3 {
		nonce := big.NewInt(int64(1000 + i))
		query, err := (&timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: digest[:], Certificates: true, Nonce: nonce}).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		resp, body := postQuery(t, srv.URL, "application/timestamp-query", query)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/timestamp-reply" {
			t.Fatalf("HTTP %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		ts, err := timestamp.ParseResponse(body) // also checks the token signature
		if err != nil {
			t.Fatal(err)
		}
		if !ts.Time.Equal(at) || !bytes.Equal(ts.HashedMessage, digest[:]) || ts.Nonce.Cmp(nonce) != 0 || !ts.Policy.Equal(signing.DevTSAPolicy) {
			t.Errorf("token time %v imprint %x nonce %v policy %v", ts.Time, ts.HashedMessage, ts.Nonce, ts.Policy)
		}
		if len(ts.Certificates) == 0 || !ts.Certificates[0].Equal(dev.TSA.Certificate) {
			t.Error("token does not carry the TSA certificate")
		}
		if serials[ts.SerialNumber.String()] {
			t.Errorf("serial number %v repeated", ts.SerialNumber)
		}
		serials[ts.SerialNumber.String()] = true
	}
}

func TestTSARefuses(t *testing.T) {
	t.Parallel()
	_, srv := newTestTSA(t, nil)
	sha1Digest := sha1.Sum([]byte("x"))
	sha1Query, err := (&timestamp.Request{HashAlgorithm: crypto.SHA1, HashedMessage: sha1Digest[:]}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, body := postQuery(t, srv.URL, "application/timestamp-query", sha1Query); !bytesIsRejection(body) {
		t.Error("SHA-1 query was not rejected")
	}
	if _, body := postQuery(t, srv.URL, "application/timestamp-query", []byte("garbage")); !bytesIsRejection(body) {
		t.Error("garbage query was not rejected")
	}
	if resp, _ := postQuery(t, srv.URL, "text/plain", sha1Query); resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("wrong content type: HTTP %d", resp.StatusCode)
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: HTTP %d", resp.StatusCode)
	}
}

// bytesIsRejection reports whether body is a TimeStampResp refusing the request.
func bytesIsRejection(body []byte) bool {
	_, err := timestamp.ParseResponse(body)
	return err != nil && bytes.HasPrefix(body, []byte{0x30})
}

func TestNewTSARequiresIdentity(t *testing.T) {
	t.Parallel()
	if _, err := signing.NewTSA(nil, nil); err == nil {
		t.Fatal("NewTSA(nil) succeeded")
	}
}
