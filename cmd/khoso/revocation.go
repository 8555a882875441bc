package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/khoso-vn/khoso/signing"
)

// The development revocation server (the CA's CRL and OCSP responder) listens on a
// loopback port chosen once, when the development identity is made, and kept in
// DATA/signing/revocation.addr: its URL is inside every development certificate, so it
// must not change when the server restarts, nor depend on --addr (tests and operators
// change it) or on the main server running (a worker signs too). Every khoso process
// of the data directory serves it, or shares the one already listening.
const revocationAddrFile = "revocation.addr"

// revocationPorts are where a port is picked: below Linux's ephemeral range, so that
// the kernel does not hand the port to another program's outgoing connection.
const revocationPortMin, revocationPortMax = 20000, 32000

// devRevocationAddr returns the loopback address stored in dir, picking a free port
// and storing it when there is none.
func devRevocationAddr(dir string) (string, error) {
	path := filepath.Join(dir, revocationAddrFile)
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	for range 100 {
		addr := fmt.Sprintf("127.0.0.1:%d", revocationPortMin+rand.IntN(revocationPortMax-revocationPortMin))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			continue
		}
		ln.Close()
		if err := os.WriteFile(path, []byte(addr+"\n"), 0o644); err != nil {
			return "", err
		}
		return addr, nil
	}
	return "", errors.New("không còn cổng loopback trống cho máy chủ thu hồi thử nghiệm / no free loopback port for the development revocation server")
}

// revocationServer serves the development CA's revocation status on its fixed address.
type revocationServer struct {
	addr string
	h    http.Handler
	ca   *x509.Certificate
	log  *slog.Logger
	mu   sync.Mutex
	srv  *http.Server
	done chan struct{}
}

// serveRevocation starts serving h at addr. When another khoso process of the same
// identity already listens there, it shares that one and tries to take over every few
// seconds, so that signing goes on when that process stops. A stranger on the port is
// an error.
func serveRevocation(addr string, h http.Handler, ca *x509.Certificate, log *slog.Logger) (*revocationServer, error) {
	rs := &revocationServer{addr: addr, h: h, ca: ca, log: log, done: make(chan struct{})}
	if rs.tryListen() {
		return rs, nil
	}
	if err := rs.sibling(); err != nil {
		return nil, fmt.Errorf("máy chủ thu hồi chứng thư thử nghiệm / development revocation server %s: cổng bị chiếm / port taken: %w "+
			"(free the port, or delete %s to pick another and reissue the development certificates)", addr, err, revocationAddrFile)
	}
	go rs.takeOver()
	return rs, nil
}

// tryListen listens on the address and serves, reporting whether it could.
func (rs *revocationServer) tryListen() bool {
	ln, err := net.Listen("tcp", rs.addr)
	if err != nil {
		return false
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.srv = &http.Server{Handler: rs.h, ReadHeaderTimeout: 10 * time.Second}
	go rs.srv.Serve(ln)
	return true
}

// sibling checks that what listens on the address serves a CRL of this CA.
func (rs *revocationServer) sibling() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+rs.addr+signing.DevCRLPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	der, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		return fmt.Errorf("it does not serve a CRL: %w", err)
	}
	return crl.CheckSignatureFrom(rs.ca)
}

// takeOver listens as soon as the sibling process lets the address go.
func (rs *revocationServer) takeOver() {
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-rs.done:
			return
		case <-t.C:
			if rs.tryListen() {
				rs.log.Info("development revocation server taken over", "addr", rs.addr)
				return
			}
		}
	}
}

// Close stops serving.
func (rs *revocationServer) Close() error {
	close(rs.done)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.srv != nil {
		return rs.srv.Close()
	}
	return nil
}
