package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/khoso-vn/khoso/archive"
)

// spooled is a request body written to a temporary file, with its SHA-256.
type spooled struct {
	f    *os.File
	size int64
	ref  archive.Ref
}

// spool writes src, at most limit bytes, to a temporary file in dir,
// hashing it on the way. The caller closes the result, which removes it.
func spool(dir string, src io.Reader, limit int64) (*spooled, error) {
	f, err := os.CreateTemp(dir, "khoso-verify-*.pdf")
	if err != nil {
		return nil, fmt.Errorf("web: spool: %w", err)
	}
	os.Remove(f.Name()) // gone from the folder at once; the bytes go when f is closed, even if the process dies
	h := archive.NewHash()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(src, limit+1))
	if err == nil && n > limit {
		err = &http.MaxBytesError{Limit: limit}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &spooled{f: f, size: n, ref: archive.RefFromSum(h.Sum(nil))}, nil
}

// bytes reads the spooled body back.
func (s *spooled) bytes() ([]byte, error) {
	buf := make([]byte, s.size)
	_, err := s.f.ReadAt(buf, 0)
	if err == io.EOF {
		err = nil
	}
	return buf, err
}

func (s *spooled) Close() error { return s.f.Close() }

// verifySlot waits for one of the verification slots, so that at most
// Config.Verifiers PDFs are in memory at once.
func (s *Server) verifySlot(ctx context.Context) (release func(), err error) {
	select {
	case s.verifies <- struct{}{}:
		return func() { <-s.verifies }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
