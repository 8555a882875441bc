package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/khoso-vn/khoso/archive"
)

// codeNotFound is the code minio-go gives a 404 answer to HEAD, which has
// no body to name the error.
const codeNotFound = "NotFound"

// classify maps an S3 error to archive's sentinels; errors it does not
// recognise are returned unchanged (transient, retryable).
func classify(err error) error {
	switch {
	case isNotFound(err):
		return fmt.Errorf("%w: %w", archive.ErrNotFound, err)
	case isFull(err):
		return fmt.Errorf("%w: %w", archive.ErrNoSpace, err)
	}
	return err
}

// isFull reports whether err says the server has no room: HTTP 507
// Insufficient Storage, or the codes MinIO and others give it.
func isFull(err error) bool {
	resp := minio.ToErrorResponse(err)
	switch resp.Code {
	case "XMinioStorageFull", "InsufficientStorage", "StorageFull":
		return true
	}
	return resp.StatusCode == 507
}

// isNotFound reports whether err says a key or version does not exist.
func isNotFound(err error) bool {
	switch minio.ToErrorResponse(err).Code {
	case minio.NoSuchKey, minio.NoSuchVersion, codeNotFound:
		return true
	}
	return false
}

// classifyDelete maps the error of deleting version of key. S3 servers
// refuse to delete a locked version with AccessDenied (AWS, MinIO,
// versitygw), ObjectLocked or InvalidRequest; AccessDenied is also what a
// caller without permission gets, so it counts as a lock only when the
// version is in fact retained.
func (s *Store) classifyDelete(ctx context.Context, key, version string, err error) error {
	switch minio.ToErrorResponse(err).Code {
	case "ObjectLocked", "InvalidRequest":
		return fmt.Errorf("%w: %w", archive.ErrConflict, err)
	case minio.AccessDenied:
		if s.retained(ctx, key, version) {
			return fmt.Errorf("%w: version is under retention: %w", archive.ErrConflict, err)
		}
	}
	return classify(err)
}

// retained reports whether version of key is under a retention that has
// not expired or under a legal hold, from the lock headers a HEAD of that
// version returns (GetObjectRetention's XML differs between servers).
func (s *Store) retained(ctx context.Context, key, version string) bool {
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{VersionID: version})
	if err != nil {
		return false
	}
	if info.Metadata.Get("X-Amz-Object-Lock-Legal-Hold") == string(minio.LegalHoldEnabled) {
		return true
	}
	until, err := time.Parse(time.RFC3339, info.Metadata.Get("X-Amz-Object-Lock-Retain-Until-Date"))
	return err == nil && until.After(time.Now())
}

// sourceReader passes src on to an upload. It remembers the first error of
// src and returns it again on every later read, so no reader of it can
// mistake a failed source for a finished one, and it records whether src
// reached io.EOF cleanly.
type sourceReader struct {
	ctx context.Context
	src io.Reader
	n   int64
	err error // first error of src or ctx, io.EOF at a clean end
}

func (r *sourceReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return 0, err
	}
	n, err := r.src.Read(p)
	r.n += int64(n)
	if err != nil {
		r.err = err
	}
	return n, err
}

// finished reports whether src ended with io.EOF and no error.
func (r *sourceReader) finished() bool { return r.err == io.EOF }

// failure returns the error of src, if any, in preference to uploadErr: a
// source that fails is why the upload failed.
func (r *sourceReader) failure(uploadErr error) error {
	if r.err != nil && !errors.Is(r.err, io.EOF) {
		return r.err
	}
	return uploadErr
}
