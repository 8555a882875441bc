package localdisk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/khoso-vn/khoso/archive"
)

var _ archive.Anchorer = (*Store)(nil)

// AnchorPath returns the file that holds the anchor name (for operators and
// tests).
func (s *Store) AnchorPath(name string) string { return filepath.Join(s.dir, "anchors", name) }

// PutAnchor implements archive.Anchorer. The anchor is written to DIR/tmp,
// synced, then hard-linked to its name, which fails rather than replace an
// anchor already there.
func (s *Store) PutAnchor(ctx context.Context, name string, data []byte) error {
	if err := archive.ValidAnchorName(name); err != nil {
		return fmt.Errorf("localdisk: put anchor: %w", err)
	}
	if len(data) > archive.MaxAnchorSize {
		return fmt.Errorf("localdisk: put anchor %s: %d bytes: %w", name, len(data), archive.ErrInvalid)
	}
	dir := filepath.Join(s.dir, "anchors")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("localdisk: put anchor %s: %w", name, err)
	}
	tmp, err := s.writeTemp(data)
	if err != nil {
		return fmt.Errorf("localdisk: put anchor %s: %w", name, err)
	}
	defer os.Remove(tmp)
	err = os.Link(tmp, s.AnchorPath(name))
	if errors.Is(err, fs.ErrExist) {
		return s.sameAnchor(name, data)
	}
	if err != nil {
		return fmt.Errorf("localdisk: put anchor %s: %w", name, err)
	}
	return syncDir(dir)
}

// writeTemp writes data to a synced file of mode 0600 under DIR/tmp.
func (s *Store) writeTemp(data []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "anchor-*") // mode 0600
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// sameAnchor succeeds when the stored anchor name holds data.
func (s *Store) sameAnchor(name string, data []byte) error {
	held, err := os.ReadFile(s.AnchorPath(name))
	if err != nil {
		return fmt.Errorf("localdisk: put anchor %s: %w", name, err)
	}
	if !bytes.Equal(held, data) {
		return fmt.Errorf("localdisk: put anchor %s: another anchor has that name: %w", name, archive.ErrConflict)
	}
	return nil
}

// NewestAnchors implements archive.Anchorer.
func (s *Store) NewestAnchors(ctx context.Context, n int) ([]archive.Anchor, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, "anchors")) // sorted by name
	if errors.Is(err, fs.ErrNotExist) {
		return []archive.Anchor{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("localdisk: newest anchors: %w", err)
	}
	out := []archive.Anchor{}
	for _, e := range slices.Backward(entries) {
		if len(out) >= n {
			break
		}
		if !e.Type().IsRegular() || archive.ValidAnchorName(e.Name()) != nil {
			continue // not an anchor of ours
		}
		data, err := os.ReadFile(s.AnchorPath(e.Name()))
		if err != nil {
			return nil, fmt.Errorf("localdisk: read anchor %s: %w", e.Name(), err)
		}
		out = append(out, archive.Anchor{Name: e.Name(), Data: data})
	}
	return out, nil
}
