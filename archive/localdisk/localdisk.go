// Package localdisk is an archive.BlobStore in a directory of the local file
// system, the embedded default.
//
// Layout: DIR/sha256/ab/cd/<full hex digest>. A blob is written to DIR/tmp,
// synced, then renamed into place, so a crash never leaves a partial object
// under its name. The audit log's anchors (archive.Anchorer) are files
// DIR/anchors/<name>, mode 0600 in a 0700 folder, linked into place so that
// an existing anchor is never replaced; anyone who can write the folder can
// still delete or change them, which only a WORM store (S3 Object Lock)
// prevents.
package localdisk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/khoso-vn/khoso/archive"
)

var _ archive.BlobStore = (*Store)(nil)

// Config configures a Store.
type Config struct {
	// Dir is the root directory; it is created when missing. Required.
	Dir string
}

// Store is a BlobStore on local disk.
type Store struct {
	dir string
}

// New opens (creating when missing) the store at cfg.Dir.
func New(cfg Config) (*Store, error) {
	if cfg.Dir == "" {
		return nil, fmt.Errorf("localdisk: Config.Dir is empty: %w", archive.ErrInvalid)
	}
	for _, d := range []string{"sha256", "tmp"} {
		if err := os.MkdirAll(filepath.Join(cfg.Dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("localdisk: new: %w", err)
		}
	}
	return &Store{dir: cfg.Dir}, nil
}

// Path returns the file that holds ref (for operators and tests).
func (s *Store) Path(ref archive.Ref) string {
	h := ref.Hex()
	return filepath.Join(s.dir, "sha256", h[0:2], h[2:4], h)
}

// Receive implements archive.BlobStore.
func (s *Store) Receive(ctx context.Context, ref archive.Ref, src io.Reader) (int64, error) {
	if _, err := archive.ParseRef(string(ref)); err != nil {
		return 0, fmt.Errorf("localdisk: receive: %w", err)
	}
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "put-*")
	if err != nil {
		return 0, fmt.Errorf("localdisk: receive %s: %w", ref, classify(err))
	}
	defer os.Remove(f.Name()) // no-op after a successful rename
	n, err := io.Copy(f, ctxReader{ctx, src})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("localdisk: receive %s: %w", ref, classify(err))
	}
	dst := s.Path(ref)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return n, fmt.Errorf("localdisk: receive %s: %w", ref, classify(err))
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return n, fmt.Errorf("localdisk: receive %s: %w", ref, classify(err))
	}
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return n, classify(err)
	}
	return n, nil
}

// Open implements archive.BlobStore.
func (s *Store) Open(ctx context.Context, ref archive.Ref) (io.ReadCloser, int64, error) {
	if _, err := archive.ParseRef(string(ref)); err != nil {
		return nil, 0, fmt.Errorf("localdisk: open: %w", err)
	}
	f, err := os.Open(s.Path(ref))
	if err != nil {
		return nil, 0, fmt.Errorf("localdisk: open %s: %w", ref, classify(err))
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("localdisk: open %s: %w", ref, err)
	}
	return f, fi.Size(), nil
}

// Stat implements archive.BlobStore.
func (s *Store) Stat(ctx context.Context, ref archive.Ref) (int64, error) {
	if _, err := archive.ParseRef(string(ref)); err != nil {
		return 0, fmt.Errorf("localdisk: stat: %w", err)
	}
	fi, err := os.Stat(s.Path(ref))
	if err != nil {
		return 0, fmt.Errorf("localdisk: stat %s: %w", ref, classify(err))
	}
	return fi.Size(), nil
}

// Enumerate implements archive.BlobStore. WalkDir visits names in lexical
// order, which for this layout is Ref order.
func (s *Store) Enumerate(ctx context.Context, fn func(archive.Ref, int64) error) error {
	var fnErr error
	root := filepath.Join(s.dir, "sha256")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		ref, perr := archive.ParseRef("sha256-" + d.Name())
		if perr != nil {
			return nil // not a blob of ours
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fnErr = fn(ref, fi.Size())
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("localdisk: enumerate: %w", err)
	}
	return nil
}

// classify maps file-system errors to archive sentinels.
func classify(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: %w", archive.ErrNotFound, err)
	}
	return archive.NoSpace(err)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("localdisk: sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("localdisk: sync %s: %w", dir, err)
	}
	return nil
}

// ctxReader stops a copy when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
