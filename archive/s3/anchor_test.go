package s3_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/archivetest"
	"github.com/khoso-vn/khoso/archive/s3"
	"github.com/khoso-vn/khoso/archive/s3/s3test"
)

func testAnchorer(t *testing.T, srv s3test.Server) {
	archivetest.TestAnchorer(t, harness(srv, s3.Config{}).New)
}

func testAnchorerWithoutRetention(t *testing.T, srv s3test.Server) {
	archivetest.TestAnchorer(t, harness(srv, s3.Config{Retention: -1}).New)
}

// testAnchorRetained: an anchor is stored with COMPLIANCE retention, and
// neither an overwrite nor a delete marker through the raw API changes what
// NewestAnchors reads.
func testAnchorRetained(t *testing.T, srv s3test.Server) {
	ctx := context.Background()
	b := setup(t, srv, s3.Config{})
	if err := b.store.PutAnchor(ctx, "audit-00000000000000000100", []byte("signed checkpoint")); err != nil {
		t.Fatal(err)
	}
	key := b.store.AnchorKey("audit-00000000000000000100")
	info, err := b.raw.StatObject(ctx, b.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	until, _ := time.Parse(time.RFC3339, info.Metadata.Get("X-Amz-Object-Lock-Retain-Until-Date"))
	if mode := info.Metadata.Get("X-Amz-Object-Lock-Mode"); mode != string(minio.Compliance) ||
		until.Before(time.Now().Add(s3.DefaultRetention-time.Hour)) {
		t.Fatalf("anchor retention: %q until %v; want COMPLIANCE for ten years", mode, until)
	}
	err = b.raw.RemoveObject(ctx, b.bucket, key, minio.RemoveObjectOptions{VersionID: info.VersionID})
	if err == nil {
		t.Fatal("deleting the retained anchor version succeeded")
	}
	forged := []byte("forged checkpoint")
	if _, err := b.raw.PutObject(ctx, b.bucket, key, bytes.NewReader(forged), int64(len(forged)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	checkAnchor(t, b.store, "signed checkpoint")
	if err := b.raw.RemoveObject(ctx, b.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	checkAnchor(t, b.store, "signed checkpoint")
}

func checkAnchor(t *testing.T, s archive.Anchorer, want string) {
	t.Helper()
	got, err := s.NewestAnchors(context.Background(), 5)
	if err != nil || len(got) != 1 || string(got[0].Data) != want {
		t.Fatalf("NewestAnchors = %+v, %v; want the one retained anchor %q", got, err, want)
	}
}
