package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

var _ BlobStore = (*Mirror)(nil)

// Mirror keeps every blob in two independent stores, as Circular
// 02/2019/TT-BNV asks of digitised records (two backup sets on independent
// media). Reads come from Primary; a blob Primary lacks is read from
// Replica.
type Mirror struct {
	Primary BlobStore
	Replica BlobStore
	// Damaged, when set, is told of each object found missing or damaged
	// in one copy (named "primary") while it was read through OpenChecked.
	Damaged func(ref Ref, copy string, err error)
}

// Receive implements BlobStore: it stores src in Primary, then copies the
// stored blob to Replica through Put, so the replica's copy is hash-checked
// too. A blob already in both is left alone.
func (m *Mirror) Receive(ctx context.Context, ref Ref, src io.Reader) (int64, error) {
	n, err := m.Primary.Receive(ctx, ref, src)
	if err != nil {
		return n, err
	}
	if _, err := m.Replica.Stat(ctx, ref); err == nil {
		return n, nil
	}
	rc, _, err := m.Primary.Open(ctx, ref)
	if err != nil {
		return n, fmt.Errorf("archive: mirror %s: %w", ref, err)
	}
	defer rc.Close()
	if _, err := Put(ctx, m.Replica, ref, rc); err != nil {
		return n, fmt.Errorf("archive: mirror %s to replica: %w", ref, err)
	}
	return n, nil
}

// Open implements BlobStore.
func (m *Mirror) Open(ctx context.Context, ref Ref) (io.ReadCloser, int64, error) {
	rc, n, err := m.Primary.Open(ctx, ref)
	if errors.Is(err, ErrNotFound) {
		return m.Replica.Open(ctx, ref)
	}
	return rc, n, err
}

// Stat implements BlobStore.
func (m *Mirror) Stat(ctx context.Context, ref Ref) (int64, error) {
	n, err := m.Primary.Stat(ctx, ref)
	if errors.Is(err, ErrNotFound) {
		return m.Replica.Stat(ctx, ref)
	}
	return n, err
}

// Enumerate implements BlobStore; it lists Primary.
func (m *Mirror) Enumerate(ctx context.Context, fn func(Ref, int64) error) error {
	return m.Primary.Enumerate(ctx, fn)
}

var _ Versioner = (*Mirror)(nil)

// Version implements Versioner with the primary copy's version.
func (m *Mirror) Version(ctx context.Context, ref Ref) (string, error) {
	if v, ok := m.Primary.(Versioner); ok {
		return v.Version(ctx, ref)
	}
	return "", nil
}

// OpenVersion implements Versioner on the primary copy; a blob the primary
// lacks is read from the replica.
func (m *Mirror) OpenVersion(ctx context.Context, ref Ref, version string) (io.ReadCloser, int64, error) {
	rc, n, err := OpenVersion(ctx, m.Primary, ref, version)
	if errors.Is(err, ErrNotFound) {
		return m.Replica.Open(ctx, ref)
	}
	return rc, n, err
}

// openGood opens the primary copy of ref when its bytes hash to ref, else
// the replica's, telling Damaged of the bad primary. The primary is read
// twice (once to check it), so that a bad copy is never half sent.
func (m *Mirror) openGood(ctx context.Context, ref Ref, version string) (io.ReadCloser, int64, error) {
	err := checkVersion(ctx, m.Primary, ref, version)
	if err == nil {
		rc, n, err := OpenVersion(ctx, m.Primary, ref, version)
		if err == nil {
			return checked(rc, ref), n, nil
		}
	}
	if m.Damaged != nil {
		m.Damaged(ref, "primary", err)
	}
	rc, n, rerr := m.Replica.Open(ctx, ref)
	if rerr != nil {
		return nil, 0, fmt.Errorf("archive: %s: primary: %w; replica: %w", ref, err, rerr)
	}
	return checked(rc, ref), n, nil
}

// checkVersion re-hashes ref at version.
func checkVersion(ctx context.Context, bs BlobStore, ref Ref, version string) error {
	rc, _, err := OpenVersion(ctx, bs, ref, version)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, checked(rc, ref))
	return err
}

var _ Anchorer = (*Mirror)(nil)

// PutAnchor implements Anchorer: it writes the anchor to both copies that
// keep anchors. When neither does, the error wraps errors.ErrUnsupported.
func (m *Mirror) PutAnchor(ctx context.Context, name string, data []byte) error {
	stores := m.anchorers()
	if len(stores) == 0 {
		return fmt.Errorf("archive: mirror: put anchor %s: %w", name, errors.ErrUnsupported)
	}
	var errs []error
	for _, a := range stores {
		if err := a.PutAnchor(ctx, name, data); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("archive: mirror: put anchor %s: %w", name, err)
	}
	return nil
}

// NewestAnchors implements Anchorer over both copies: an anchor either
// holds counts, the primary's bytes winning when both hold a name, so that
// losing one copy loses no anchor.
func (m *Mirror) NewestAnchors(ctx context.Context, n int) ([]Anchor, error) {
	stores := m.anchorers()
	if len(stores) == 0 {
		return nil, fmt.Errorf("archive: mirror: newest anchors: %w", errors.ErrUnsupported)
	}
	if n < 1 {
		return []Anchor{}, nil
	}
	all := []Anchor{}
	seen := map[string]bool{}
	for _, a := range stores {
		got, err := a.NewestAnchors(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("archive: mirror: newest anchors: %w", err)
		}
		for _, an := range got {
			if !seen[an.Name] {
				seen[an.Name] = true
				all = append(all, an)
			}
		}
	}
	slices.SortFunc(all, func(a, b Anchor) int { return strings.Compare(b.Name, a.Name) })
	return all[:min(n, len(all))], nil
}

func (m *Mirror) anchorers() []Anchorer {
	var out []Anchorer
	for _, s := range []BlobStore{m.Primary, m.Replica} {
		if a, ok := s.(Anchorer); ok {
			out = append(out, a)
		}
	}
	return out
}
