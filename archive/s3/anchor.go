package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/khoso-vn/khoso/archive"
)

var _ archive.Anchorer = (*Store)(nil)

// AnchorKey returns the object key of the anchor name, for operators and
// tests.
func (s *Store) AnchorKey(name string) string { return s.anchorPrefix() + name }

func (s *Store) anchorPrefix() string { return s.prefix + "anchors/" }

// PutAnchor implements archive.Anchorer. The anchor is one object under
// Prefix + "anchors/", written with the store's COMPLIANCE retention like a
// blob, so that on a bucket with Object Lock nobody can remove it.
func (s *Store) PutAnchor(ctx context.Context, name string, data []byte) error {
	if err := archive.ValidAnchorName(name); err != nil {
		return fmt.Errorf("s3: put anchor: %w", err)
	}
	if len(data) > archive.MaxAnchorSize {
		return fmt.Errorf("s3: put anchor %s: %d bytes: %w", name, len(data), archive.ErrInvalid)
	}
	held, err := s.readAnchor(ctx, name)
	switch {
	case err == nil && bytes.Equal(held, data):
		return nil
	case err == nil:
		return fmt.Errorf("s3: put anchor %s: another anchor has that name: %w", name, archive.ErrConflict)
	case !errors.Is(err, archive.ErrNotFound):
		return fmt.Errorf("s3: put anchor %s: %w", name, err)
	}
	opts := minio.PutObjectOptions{ContentType: "application/json", SendContentMd5: true}
	if s.retention > 0 {
		opts.Mode = minio.Compliance
		opts.RetainUntilDate = time.Now().Add(s.retention).Truncate(time.Second).Add(time.Second)
	}
	_, err = s.client.PutObject(ctx, s.bucket, s.AnchorKey(name), bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		return fmt.Errorf("s3: put anchor %s: %w", name, classify(err))
	}
	return nil
}

// NewestAnchors implements archive.Anchorer. It lists every anchor key
// and, on a versioned bucket, reads each key's first version: an anchor is
// written once, so a later version or delete marker is someone else's and
// cannot replace or hide the retained one.
func (s *Store) NewestAnchors(ctx context.Context, n int) ([]archive.Anchor, error) {
	versions, err := s.anchorVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("s3: newest anchors: %w", err)
	}
	names := make([]string, 0, len(versions))
	for name := range versions {
		names = append(names, name)
	}
	slices.Sort(names)
	slices.Reverse(names)
	out := []archive.Anchor{}
	for _, name := range names[:max(0, min(n, len(names)))] {
		data, err := s.readVersion(ctx, s.AnchorKey(name), versions[name])
		if err != nil {
			return nil, fmt.Errorf("s3: read anchor %s: %w", name, err)
		}
		out = append(out, archive.Anchor{Name: name, Data: data})
	}
	return out, nil
}

// anchorVersions maps each anchor name to its first version holding bytes
// ("" on a bucket without versioning).
func (s *Store) anchorVersions(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	opts := minio.ListObjectsOptions{Prefix: s.anchorPrefix(), Recursive: true, WithVersions: s.versioned}
	for obj := range s.client.ListObjectsIter(ctx, s.bucket, opts) {
		if obj.Err != nil {
			return nil, obj.Err
		}
		name, _ := strings.CutPrefix(obj.Key, s.anchorPrefix())
		if obj.IsDeleteMarker || archive.ValidAnchorName(name) != nil {
			continue
		}
		// Versions of a key come newest first: the last one seen is the first written.
		out[name] = s.versionParam(obj.VersionID)
	}
	return out, ctx.Err()
}

// readAnchor returns the bytes of the anchor name as NewestAnchors reads
// them, or an error wrapping archive.ErrNotFound.
func (s *Store) readAnchor(ctx context.Context, name string) ([]byte, error) {
	key := s.AnchorKey(name)
	version := ""
	if s.versioned {
		opts := minio.ListObjectsOptions{Prefix: key, WithVersions: true}
		found := false
		for obj := range s.client.ListObjectsIter(ctx, s.bucket, opts) {
			if obj.Err != nil {
				return nil, obj.Err
			}
			if obj.Key == key && !obj.IsDeleteMarker {
				version, found = s.versionParam(obj.VersionID), true
			}
		}
		if !found {
			return nil, fmt.Errorf("anchor %s: %w", name, archive.ErrNotFound)
		}
	}
	return s.readVersion(ctx, key, version)
}

// readVersion reads one version of key whole, at most archive.MaxAnchorSize
// bytes.
func (s *Store) readVersion(ctx context.Context, key, version string) ([]byte, error) {
	rc, _, err := s.get(ctx, key, version)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, archive.MaxAnchorSize))
}
