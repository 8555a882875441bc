package archive

import (
	"bytes"
	"context"
	"fmt"
	"hash"
	"io"
)

// BlobStore keeps immutable blobs named by their content address.
//
// Implementations are safe for concurrent use. They must not commit an object
// unless reading src reached io.EOF without error: the Put wrapper relies on
// that to refuse bytes that do not match their Ref. A backend that already
// holds ref may return without reading src.
type BlobStore interface {
	// Receive stores the bytes read from src under ref. Callers use Put,
	// which checks the digest; Receive itself need not. Storing a ref that
	// already exists succeeds and leaves the stored object unchanged.
	Receive(ctx context.Context, ref Ref, src io.Reader) (int64, error)
	// Open returns the bytes of ref and their size. It returns an error
	// wrapping ErrNotFound when ref is not stored.
	Open(ctx context.Context, ref Ref) (io.ReadCloser, int64, error)
	// Stat returns the size of ref, or an error wrapping ErrNotFound.
	Stat(ctx context.Context, ref Ref) (int64, error)
	// Enumerate calls fn for every stored blob in Ref order until fn
	// returns an error, which Enumerate returns.
	Enumerate(ctx context.Context, fn func(ref Ref, size int64) error) error
}

// Put stores src under ref in bs, checking while it streams that the bytes
// hash to ref. On a mismatch nothing is stored and the error wraps
// ErrCorrupt.
func Put(ctx context.Context, bs BlobStore, ref Ref, src io.Reader) (int64, error) {
	if _, err := ParseRef(string(ref)); err != nil {
		return 0, fmt.Errorf("archive: put: %w", err)
	}
	cr := &checkingReader{r: src, h: NewHash(), want: ref}
	n, err := bs.Receive(ctx, ref, cr)
	if err != nil {
		return n, fmt.Errorf("archive: put %s: %w", ref, err)
	}
	if !cr.checked { // the backend had it already: still check what the caller sent
		if _, err := io.Copy(io.Discard, cr); err != nil {
			return n, fmt.Errorf("archive: put %s: %w", ref, err)
		}
	}
	return n, nil
}

// PutBytes stores b under its own Ref and returns that Ref.
func PutBytes(ctx context.Context, bs BlobStore, b []byte) (Ref, error) {
	ref := RefOf(b)
	_, err := Put(ctx, bs, ref, bytes.NewReader(b))
	return ref, err
}

// ReadAll returns the whole blob ref, checking its digest.
func ReadAll(ctx context.Context, bs BlobStore, ref Ref) ([]byte, error) {
	rc, size, err := bs.Open(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("archive: read %s: %w", ref, err)
	}
	defer rc.Close()
	buf := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := buf.ReadFrom(rc); err != nil {
		return nil, fmt.Errorf("archive: read %s: %w", ref, err)
	}
	if got := RefOf(buf.Bytes()); got != ref {
		return nil, fmt.Errorf("archive: read %s: got %s: %w", ref, got, ErrCorrupt)
	}
	return buf.Bytes(), nil
}

// Check re-reads ref from bs and reports an error wrapping ErrCorrupt when
// its bytes no longer hash to ref.
func Check(ctx context.Context, bs BlobStore, ref Ref) error {
	rc, _, err := bs.Open(ctx, ref)
	if err != nil {
		return fmt.Errorf("archive: check %s: %w", ref, err)
	}
	defer rc.Close()
	h := NewHash()
	if _, err := io.Copy(h, rc); err != nil {
		return fmt.Errorf("archive: check %s: %w", ref, err)
	}
	if got := RefFromSum(h.Sum(nil)); got != ref {
		return fmt.Errorf("archive: check %s: content hashes to %s: %w", ref, got, ErrCorrupt)
	}
	return nil
}

// checkingReader hashes what it passes on and, at the end of src, returns
// ErrCorrupt instead of io.EOF when the digest is not want.
type checkingReader struct {
	r       io.Reader
	h       hash.Hash
	want    Ref
	checked bool
}

func (c *checkingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	if err == io.EOF {
		if got := RefFromSum(c.h.Sum(nil)); got != c.want {
			return n, fmt.Errorf("content hashes to %s: %w", got, ErrCorrupt)
		}
		c.checked = true
	}
	return n, err
}

// Versioner is the optional capability of a BlobStore that keeps versions
// of each object (S3 with Object Lock). The catalog records the version of
// each result and reads by it, so that no later write or delete marker by
// anyone can change or hide what was issued.
type Versioner interface {
	// Version returns the version ID of ref's current object, or "" when
	// the store keeps none for it.
	Version(ctx context.Context, ref Ref) (string, error)
	// OpenVersion returns that version of ref; version "" means Open.
	OpenVersion(ctx context.Context, ref Ref, version string) (io.ReadCloser, int64, error)
}

// OpenVersion opens ref at version when bs keeps versions, else ref.
func OpenVersion(ctx context.Context, bs BlobStore, ref Ref, version string) (io.ReadCloser, int64, error) {
	if v, ok := bs.(Versioner); ok && version != "" {
		return v.OpenVersion(ctx, ref, version)
	}
	return bs.Open(ctx, ref)
}

// OpenChecked opens ref at version (see OpenVersion) for a reader that
// cannot be fooled: the returned reader hashes what it gives and ends with
// an error wrapping ErrCorrupt instead of io.EOF when those bytes do not
// hash to ref. A store with several copies (a Mirror) opens the first copy
// that is whole. A missing object is an error wrapping ErrNotFound.
func OpenChecked(ctx context.Context, bs BlobStore, ref Ref, version string) (io.ReadCloser, int64, error) {
	if m, ok := bs.(*Mirror); ok {
		return m.openGood(ctx, ref, version)
	}
	rc, n, err := OpenVersion(ctx, bs, ref, version)
	if err != nil {
		return nil, 0, err
	}
	return checked(rc, ref), n, nil
}

// checked wraps rc so that its end is checked against ref.
func checked(rc io.ReadCloser, ref Ref) io.ReadCloser {
	return struct {
		io.Reader
		io.Closer
	}{&checkingReader{r: rc, h: NewHash(), want: ref}, rc}
}
