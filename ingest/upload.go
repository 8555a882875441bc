package ingest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// Upload holds the files of one batch upload on local disk, hashed, until
// Accept stores those its rows name in the blob store. Files no accepted
// row names are never stored (a blob store with Object Lock could not
// forget them); Close removes every staged file.
type Upload struct {
	dir   string
	mu    sync.Mutex
	files map[archive.Ref]string // staged path by content address
}

// uploadPrefix starts the name of every upload's staging folder.
const uploadPrefix = "upload-"

// NewUpload makes a staging folder for one upload under SpoolDir.
func (in *Intake) NewUpload() (*Upload, error) {
	dir, err := os.MkdirTemp(in.cfg.SpoolDir, uploadPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("ingest: stage upload: %w", archive.NoSpace(err))
	}
	return &Upload{dir: dir, files: map[archive.Ref]string{}}, nil
}

// Add stages one file and returns its Ref. When want is not empty the bytes
// must hash to it. Memory stays flat whatever the file size.
func (u *Upload) Add(ctx context.Context, src io.Reader, want archive.Ref) (archive.Ref, int64, error) {
	f, err := os.CreateTemp(u.dir, "file-*")
	if err != nil {
		return "", 0, fmt.Errorf("ingest: stage upload: %w", archive.NoSpace(err))
	}
	h := archive.NewHash()
	n, err := io.Copy(io.MultiWriter(f, h), src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", n, fmt.Errorf("ingest: stage upload: %w", archive.NoSpace(err))
	}
	ref := archive.RefFromSum(h.Sum(nil))
	if want != "" && want != ref {
		os.Remove(f.Name())
		return "", n, fmt.Errorf("ingest: upload hashes to %s, client sent %s: %w", ref, want, archive.ErrCorrupt)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, dup := u.files[ref]; dup {
		os.Remove(f.Name())
	} else {
		u.files[ref] = f.Name()
	}
	return ref, n, nil
}

// store puts the staged file of ref into bs (hash-checked again by Put).
func (u *Upload) store(ctx context.Context, bs archive.BlobStore, ref archive.Ref) error {
	u.mu.Lock()
	path, ok := u.files[ref]
	u.mu.Unlock()
	if !ok {
		return fmt.Errorf("ingest: %s was not uploaded: %w", ref, archive.ErrInvalid)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("ingest: staged upload: %w", err)
	}
	defer f.Close()
	if _, err := archive.Put(ctx, bs, ref, f); err != nil {
		return fmt.Errorf("ingest: store upload: %w", err)
	}
	return nil
}

// Close removes the staging folder and every file in it.
func (u *Upload) Close() error { return os.RemoveAll(u.dir) }

// RemoveStaleUploads removes the staging folders of uploads that a process
// killed mid-request left in SpoolDir: those last changed before since.
func (in *Intake) RemoveStaleUploads(since time.Time) (int, error) {
	entries, err := os.ReadDir(in.cfg.SpoolDir)
	if err != nil {
		return 0, fmt.Errorf("ingest: spool: %w", err)
	}
	n := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), uploadPrefix) {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(since) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(in.cfg.SpoolDir, e.Name())); err == nil {
			n++
		}
	}
	return n, nil
}
