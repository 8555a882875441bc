package s3_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/s3"
	"github.com/khoso-vn/khoso/archive/s3/s3test"
)

func testRetention(t *testing.T, srv s3test.Server) {
	ctx := context.Background()
	b := setup(t, srv, s3.Config{}) // default retention: ten years
	data := []byte("giấy phép xây dựng số 12/GPXD")
	ref := mustPut(t, b.store, data)
	v1 := mustVersion(t, b.store, ref)

	mode, until, err := retentionOf(ctx, b, ref, v1)
	if err != nil || mode != string(minio.Compliance) || until.Before(time.Now().Add(s3.DefaultRetention-time.Hour)) {
		t.Fatalf("retention of stored version: %q until %v, %v; want COMPLIANCE for ten years", mode, until, err)
	}
	err = b.store.DeleteVersion(ctx, ref, v1)
	wantErr(t, "DeleteVersion of a retained version", err, archive.ErrConflict)

	// An overwrite behind the store's back makes a new, current version;
	// the recorded one still reads back whole.
	b.overwrite(t, ref, []byte("forged"))
	v2 := mustVersion(t, b.store, ref)
	if v2 == v1 {
		t.Fatalf("after overwrite, Version is still %s", v1)
	}
	if got := readVersion(t, b.store, ref, v1); !bytes.Equal(got, data) {
		t.Fatalf("OpenVersion of the retained version gave %q, want %q", got, data)
	}
	wantErr(t, "Check after overwrite", archive.Check(ctx, b.store, ref), archive.ErrCorrupt)

	// The forged version has no retention: deleting it works, which shows
	// ErrConflict above came from the lock, and the original is current again.
	if err := b.store.DeleteVersion(ctx, ref, v2); err != nil {
		t.Fatalf("DeleteVersion of an unretained version: %v", err)
	}
	if err := archive.Check(ctx, b.store, ref); err != nil {
		t.Fatalf("Check after removing the forgery: %v", err)
	}
	wantErr(t, "OpenVersion of the deleted version", openErr(b.store, ref, v2), archive.ErrNotFound)
}

// retentionOf reads the lock headers of one version through the raw client.
func retentionOf(ctx context.Context, b bundle, ref archive.Ref, version string) (string, time.Time, error) {
	info, err := b.raw.StatObject(ctx, b.bucket, b.store.Key(ref), minio.StatObjectOptions{VersionID: version})
	if err != nil {
		return "", time.Time{}, err
	}
	until, err := time.Parse(time.RFC3339, info.Metadata.Get("X-Amz-Object-Lock-Retain-Until-Date"))
	return info.Metadata.Get("X-Amz-Object-Lock-Mode"), until, err
}

func openErr(s *s3.Store, ref archive.Ref, version string) error {
	rc, _, err := s.OpenVersion(context.Background(), ref, version)
	if err == nil {
		rc.Close()
	}
	return err
}

func testDeleteMarker(t *testing.T, srv s3test.Server) {
	ctx := context.Background()
	b := setup(t, srv, s3.Config{})
	data := []byte("quyết định số 7/QĐ-UBND")
	ref := mustPut(t, b.store, data)
	v1 := mustVersion(t, b.store, ref)

	// Someone deletes the key without naming a version: S3 hides the
	// object behind a delete marker.
	if err := b.raw.RemoveObject(ctx, b.bucket, b.store.Key(ref), minio.RemoveObjectOptions{}); err != nil {
		t.Fatalf("raw RemoveObject: %v", err)
	}
	if _, err := b.raw.StatObject(ctx, b.bucket, b.store.Key(ref), minio.StatObjectOptions{}); err == nil {
		t.Fatal("the server still shows the key after a delete marker: the test proves nothing")
	}
	got, err := archive.ReadAll(ctx, b.store, ref)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("ReadAll behind a delete marker: %q, %v; want %q", got, err, data)
	}
	if size, err := b.store.Stat(ctx, ref); err != nil || size != int64(len(data)) {
		t.Fatalf("Stat behind a delete marker: %d, %v", size, err)
	}
	if v := mustVersion(t, b.store, ref); v != v1 {
		t.Fatalf("Version behind a delete marker: %s, want %s", v, v1)
	}
	if refs := refsOf(t, b.store); refs[ref] != int64(len(data)) || len(refs) != 1 {
		t.Fatalf("Enumerate behind a delete marker: %v", refs)
	}
	// Putting the same bytes again is harmless and does not upload.
	mustPut(t, b.store, data)
	if v := mustVersion(t, b.store, ref); v != v1 {
		t.Fatalf("Version after a second put: %s, want %s", v, v1)
	}
}
