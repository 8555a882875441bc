package main

import (
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/signing"
)

// TestRevocationServerShared: the address is chosen once and kept; a second
// process of the same identity shares the server already listening and
// takes over when it stops; a server of another CA on the port is refused.
func TestRevocationServerShared(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "signing")
	addr, err := devRevocationAddr(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := devRevocationAddr(dir); again != addr {
		t.Fatalf("address changed: %s, then %s", addr, again)
	}
	dev, err := signing.EnsureDevelopmentPKI(signing.DevConfig{Dir: dir, AgencyName: "Sở Tư pháp", RevocationURL: "http://" + addr})
	if err != nil {
		t.Fatal(err)
	}
	h, err := signing.NewRevocationServer(dev, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	first, err := serveRevocation(addr, h, dev.CA, log)
	if err != nil {
		t.Fatal(err)
	}
	second, err := serveRevocation(addr, h, dev.CA, log)
	if err != nil {
		t.Fatalf("a second process of the same identity: %v", err)
	}
	defer second.Close()
	other, err := signing.EnsureDevelopmentIdentity(t.TempDir(), "Sở Y tế", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rs, err := serveRevocation(addr, h, other.CA, log); err == nil {
		rs.Close()
		t.Fatal("sharing a revocation server of another CA")
	}
	first.Close()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(dev.CRLURL)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("nobody serves %s after the first process stopped: %v", dev.CRLURL, err)
		}
	}
}
