package s3_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/khoso-vn/khoso/archive/s3/s3test"
)

func TestScratchVGW(t *testing.T) {
	srv := s3test.StartVersityGW(t)
	c := srv.Client(t)
	ctx := context.Background()
	err := c.MakeBucket(ctx, "lockb", minio.MakeBucketOptions{ObjectLocking: true})
	t.Logf("make: %v", err)
	v, err := c.GetBucketVersioning(ctx, "lockb")
	t.Logf("versioning: %+v %v", v, err)
	l, _, _, _, err := c.GetObjectLockConfig(ctx, "lockb")
	t.Logf("lock: %q %v", l, err)
	info, err := c.PutObject(ctx, "lockb", "k", bytes.NewReader([]byte("hello")), -1, minio.PutObjectOptions{PartSize: 5 << 20, SendContentMd5: true, Mode: minio.Compliance, RetainUntilDate: time.Now().Add(time.Hour)})
	t.Logf("put: %+v %v", info.VersionID, err)
	m, u, err := c.GetObjectRetention(ctx, "lockb", "k", info.VersionID)
	if m != nil {
		t.Logf("ret: %v %v %v", *m, u, err)
	} else {
		t.Logf("ret: nil %v", err)
	}
	err = c.RemoveObject(ctx, "lockb", "k", minio.RemoveObjectOptions{VersionID: info.VersionID})
	t.Logf("delete version: %v %+v", err, minio.ToErrorResponse(err))
	info2, err := c.PutObject(ctx, "lockb", "k", bytes.NewReader([]byte("other")), 5, minio.PutObjectOptions{})
	t.Logf("overwrite: %+v %v", info2.VersionID, err)
	err = c.RemoveObject(ctx, "lockb", "k", minio.RemoveObjectOptions{})
	t.Logf("delete marker: %v", err)
	st, err := c.StatObject(ctx, "lockb", "k", minio.StatObjectOptions{})
	t.Logf("stat: %+v dm=%v %v %+v", st.VersionID, st.IsDeleteMarker, err, minio.ToErrorResponse(err))
	for o := range c.ListObjectsIter(ctx, "lockb", minio.ListObjectsOptions{WithVersions: true, Recursive: true, Prefix: "k"}) {
		t.Logf("ver: %s %s dm=%v latest=%v size=%d err=%v", o.Key, o.VersionID, o.IsDeleteMarker, o.IsLatest, o.Size, o.Err)
	}
	obj, _ := c.GetObject(ctx, "lockb", "k", minio.GetObjectOptions{VersionID: info.VersionID})
	oi, err := obj.Stat()
	t.Logf("get v1: %d %v", oi.Size, err)
	// plain bucket
	err = c.MakeBucket(ctx, "plain", minio.MakeBucketOptions{})
	v, err = c.GetBucketVersioning(ctx, "plain")
	t.Logf("plain versioning: %+v %v", v, err)
	info, err = c.PutObject(ctx, "plain", "k", bytes.NewReader([]byte("hello")), -1, minio.PutObjectOptions{PartSize: 5 << 20})
	t.Logf("plain put: %q %v", info.VersionID, err)
	st, err = c.StatObject(ctx, "plain", "k", minio.StatObjectOptions{})
	t.Logf("plain stat: %q %v", st.VersionID, err)
	obj, _ = c.GetObject(ctx, "plain", "k", minio.GetObjectOptions{VersionID: "null"})
	oi, err = obj.Stat()
	t.Logf("plain get null: %d %v", oi.Size, err)
}
