// Package s3test starts real S3 servers for tests: MinIO (with Object Lock)
// and versitygw (a posix gateway with versioning and Object Lock). Each
// server runs as a child process on a free 127.0.0.1 port over a temporary
// directory and is stopped when the test that started it ends.
//
// The binaries are looked up in the directory named by KHOSO_TEST_BIN, or
// else in .bin/ beside the go.mod that holds the working directory; `make
// test` installs them there. A missing binary fails the test: it never skips.
package s3test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Server is a running S3 server.
type Server struct {
	// Endpoint is host:port, plain HTTP.
	Endpoint string
	// AccessKey and SecretKey are the root credentials.
	AccessKey, SecretKey string
}

// Client returns a raw minio-go client for srv, for tests that act behind a
// store's back.
func (srv Server) Client(tb testing.TB) *minio.Client {
	tb.Helper()
	c, err := minio.New(srv.Endpoint, &minio.Options{
		Creds: credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""),
	})
	if err != nil {
		tb.Fatalf("s3test: client for %s: %v", srv.Endpoint, err)
	}
	return c
}

// startTimeout bounds how long a server may take to answer.
const startTimeout = 60 * time.Second

// StartMinIO starts `minio server` on a temporary directory. Buckets created
// on it may use Object Lock and versioning.
func StartMinIO(tb testing.TB) Server {
	tb.Helper()
	bin := binary(tb, "minio")
	srv := newServer(tb, "minioadmin", "minio-secret-key")
	cmd := exec.Command(bin, "server", tb.TempDir(),
		"--address", srv.Endpoint,
		"--console-address", "127.0.0.1:"+freePort(tb),
		"--quiet")
	cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+srv.AccessKey,
		"MINIO_ROOT_PASSWORD="+srv.SecretKey,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
		"MINIO_CI_CD=1",
	)
	start(tb, cmd, srv)
	return srv
}

// StartVersityGW starts versitygw as a posix gateway over a temporary
// directory, with a versioning directory so that buckets can have
// versioning and Object Lock:
//
//	versitygw --port ADDR --access KEY --secret SECRET --quiet \
//	    posix --versioning-dir DIR/versions DIR/root
func StartVersityGW(tb testing.TB) Server {
	tb.Helper()
	bin := binary(tb, "versitygw")
	srv := newServer(tb, "vgwadmin", "vgw-secret-key")
	dir := tb.TempDir()
	root, versions := filepath.Join(dir, "root"), filepath.Join(dir, "versions")
	for _, d := range []string{root, versions} {
		if err := os.Mkdir(d, 0o755); err != nil {
			tb.Fatalf("s3test: %v", err)
		}
	}
	cmd := exec.Command(bin,
		"--port", srv.Endpoint,
		"--access", srv.AccessKey,
		"--secret", srv.SecretKey,
		"--quiet",
		"posix", "--versioning-dir", versions, root)
	cmd.Env = os.Environ()
	start(tb, cmd, srv)
	return srv
}

func newServer(tb testing.TB, access, secret string) Server {
	return Server{Endpoint: "127.0.0.1:" + freePort(tb), AccessKey: access, SecretKey: secret}
}

// start runs cmd, registers its stop on tb.Cleanup and waits until srv
// answers an authenticated ListBuckets.
func start(tb testing.TB, cmd *exec.Cmd, srv Server) {
	tb.Helper()
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// The server dies with the test binary even if cleanup never runs.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("s3test: start %s: %v", cmd.Path, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	tb.Cleanup(func() { stop(cmd, exited) })
	if err := waitReady(srv, exited); err != nil {
		tb.Fatalf("s3test: %s on %s: %v\n%s", filepath.Base(cmd.Path), srv.Endpoint, err, out.String())
	}
}

func waitReady(srv Server, exited <-chan error) error {
	c, err := minio.New(srv.Endpoint, &minio.Options{
		Creds:      credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""),
		MaxRetries: 1,
	})
	if err != nil {
		return err
	}
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err = c.ListBuckets(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case werr := <-exited:
			return fmt.Errorf("exited before answering: %v", werr)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer after %s: %w", startTimeout, err)
		}
	}
}

// stop asks the server to shut down and kills it if it does not.
func stop(cmd *exec.Cmd, exited <-chan error) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// binary finds name in $KHOSO_TEST_BIN or in the module's .bin directory.
func binary(tb testing.TB, name string) string {
	tb.Helper()
	dir := os.Getenv("KHOSO_TEST_BIN")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			tb.Fatalf("s3test: %s: %v; run `make test` (installs MinIO and versitygw into .bin)", name, err)
		}
		dir = filepath.Join(root, ".bin")
	}
	p := filepath.Join(dir, name)
	if fi, err := os.Stat(p); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		tb.Fatalf("s3test: no %s executable at %s; run `make test` (installs MinIO and versitygw into .bin)", name, p)
	}
	return p
}

// moduleRoot walks up from the working directory to the folder holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("s3test: free port: %v", err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// syncBuffer collects a child's output for the failure message.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil // keep the start, where startup errors are
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
