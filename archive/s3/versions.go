package s3

import (
	"context"
	"fmt"
	"io"

	"github.com/minio/minio-go/v7"

	"github.com/khoso-vn/khoso/archive"
)

var _ archive.Versioner = (*Store)(nil)

// nullVersion is the S3 version ID of an object in a bucket without
// versioning.
const nullVersion = "null"

// Version implements archive.Versioner. It returns the version ID of the
// current version of ref: the newest version that holds bytes, looking past
// delete markers. khoso records it with the record so that OpenVersion reads
// exactly what was stored. On a bucket without versioning it returns "".
// It returns an error wrapping archive.ErrNotFound when ref has no version
// that holds bytes.
func (s *Store) Version(ctx context.Context, ref archive.Ref) (string, error) {
	if _, err := archive.ParseRef(string(ref)); err != nil {
		return "", fmt.Errorf("s3: version: %w", err)
	}
	info, err := s.current(ctx, s.Key(ref))
	if err != nil {
		return "", fmt.Errorf("s3: version %s: %w", ref, err)
	}
	if !s.versioned || info.VersionID == nullVersion {
		return "", nil
	}
	return info.VersionID, nil
}

// OpenVersion implements archive.Versioner. It returns the bytes of one
// version of ref and their size, whatever versions or delete markers were
// written after it; version "" means Open. It returns an error wrapping
// archive.ErrNotFound when that version does not exist or is a delete
// marker.
func (s *Store) OpenVersion(ctx context.Context, ref archive.Ref, versionID string) (io.ReadCloser, int64, error) {
	if versionID == "" {
		return s.Open(ctx, ref)
	}
	if _, err := archive.ParseRef(string(ref)); err != nil {
		return nil, 0, fmt.Errorf("s3: open version: %w", err)
	}
	rc, size, err := s.get(ctx, s.Key(ref), s.versionParam(versionID))
	if err != nil {
		return nil, 0, fmt.Errorf("s3: open %s version %s: %w", ref, versionID, err)
	}
	return rc, size, nil
}

// DeleteVersion permanently deletes one version of ref. It exists so that
// tests and operators can prove retention: while the version is retained,
// the server refuses and the error wraps archive.ErrConflict. khoso itself
// never deletes blobs.
func (s *Store) DeleteVersion(ctx context.Context, ref archive.Ref, versionID string) error {
	if _, err := archive.ParseRef(string(ref)); err != nil {
		return fmt.Errorf("s3: delete version: %w", err)
	}
	if versionID == "" {
		// To S3 that would mean the key: the delete would only add a
		// delete marker.
		return fmt.Errorf("s3: delete %s: empty version ID: %w", ref, archive.ErrInvalid)
	}
	key := s.Key(ref)
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{VersionID: s.versionParam(versionID)})
	if err != nil {
		return fmt.Errorf("s3: delete %s version %s: %w", ref, versionID, s.classifyDelete(ctx, key, versionID, err))
	}
	return nil
}

// versionParam returns the versionId to send for versionID. On a bucket
// without versioning the only version, "null", is addressed without a
// versionId: not every server accepts versionId=null (versitygw v1.8.0
// answers NoSuchKey).
func (s *Store) versionParam(versionID string) string {
	if !s.versioned && versionID == nullVersion {
		return ""
	}
	return versionID
}

// current returns the newest version of key that holds bytes. A plain HEAD
// answers in the common case; when it finds nothing on a versioned bucket,
// the latest version may be a delete marker hiding older versions, so the
// versions of key are listed.
func (s *Store) current(ctx context.Context, key string) (minio.ObjectInfo, error) {
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err == nil {
		return info, nil
	}
	if !isNotFound(err) || !s.versioned {
		return info, classify(err)
	}
	return s.newestVersion(ctx, key, err)
}

// newestVersion lists the versions of key, newest first, and returns the
// first that is not a delete marker; notFound is returned, classified
// (classify leaves an error it already wrapped as it is), when there is
// none.
func (s *Store) newestVersion(ctx context.Context, key string, notFound error) (minio.ObjectInfo, error) {
	opts := minio.ListObjectsOptions{Prefix: key, Recursive: true, WithVersions: true}
	for obj := range s.client.ListObjectsIter(ctx, s.bucket, opts) {
		switch {
		case obj.Err != nil:
			return minio.ObjectInfo{}, obj.Err
		case obj.Key != key:
			return minio.ObjectInfo{}, classify(notFound) // past key: keys come in order
		case !obj.IsDeleteMarker:
			return obj, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return minio.ObjectInfo{}, err
	}
	return minio.ObjectInfo{}, classify(notFound)
}

// get opens one version of key ("" for the latest) and returns its bytes
// and size.
func (s *Store) get(ctx context.Context, key, versionID string) (io.ReadCloser, int64, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{VersionID: versionID})
	if err != nil {
		return nil, 0, classify(err)
	}
	info, err := obj.Stat() // sends the GET
	if err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).Code == minio.MethodNotAllowed {
			// The version is a delete marker: it has no bytes.
			return nil, 0, fmt.Errorf("%w: version is a delete marker: %w", archive.ErrNotFound, err)
		}
		return nil, 0, classify(err)
	}
	return obj, info.Size, nil
}
