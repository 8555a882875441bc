package s3_test

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/s3"
	"github.com/khoso-vn/khoso/archive/s3/s3test"
)

const partSize = 5 << 20

// generated returns size pseudo-random bytes from seed, made as they are
// read: no test holds a large blob in memory either.
func generated(seed byte, size int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{seed}), size)
}

func refOfGenerated(tb testing.TB, seed byte, size int64) archive.Ref {
	tb.Helper()
	h := archive.NewHash()
	if _, err := io.Copy(h, generated(seed, size)); err != nil {
		tb.Fatal(err)
	}
	return archive.RefFromSum(h.Sum(nil))
}

func testLarge(t *testing.T, srv s3test.Server) {
	ctx := context.Background()
	b := setup(t, srv, s3.Config{PartSize: partSize})
	const size = 40 << 20
	ref := refOfGenerated(t, 1, size)
	n, err := archive.Put(ctx, b.store, ref, generated(1, size))
	if err != nil || n != size {
		t.Fatalf("Put of 40 MiB: %d, %v", n, err)
	}
	// It went up as a multipart upload of PartSize parts: the store held
	// one part at a time.
	info, err := b.raw.StatObject(ctx, b.bucket, b.store.Key(ref), minio.StatObjectOptions{})
	if err != nil || !strings.HasSuffix(info.ETag, "-8") {
		t.Fatalf("stored object: ETag %q, %v; want a multipart ETag of 8 parts", info.ETag, err)
	}
	rc, got, err := b.store.Open(ctx, ref)
	if err != nil || got != size {
		t.Fatalf("Open: size %d, %v", got, err)
	}
	defer rc.Close()
	h := archive.NewHash()
	if _, err := io.Copy(h, rc); err != nil {
		t.Fatalf("read back: %v", err)
	}
	if back := archive.RefFromSum(h.Sum(nil)); back != ref {
		t.Fatalf("read back %s, want %s", back, ref)
	}
}

// failAfter gives n bytes of src, then fails.
type failAfter struct {
	src io.Reader
	n   int64
}

var errCut = errors.New("connection reset by scanner")

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errCut
	}
	if int64(len(p)) > f.n {
		p = p[:f.n]
	}
	n, err := f.src.Read(p)
	f.n -= int64(n)
	return n, err
}

func testFailingReader(t *testing.T, srv s3test.Server) {
	ctx := context.Background()
	b := setup(t, srv, s3.Config{PartSize: partSize})
	const size = 12 << 20 // two whole parts are uploaded before the failure
	ref := refOfGenerated(t, 2, size)
	_, err := archive.Put(ctx, b.store, ref, &failAfter{src: generated(2, size), n: 11 << 20})
	if !errors.Is(err, errCut) {
		t.Fatalf("Put from a reader failing after 11 MiB: %v, want the reader's error", err)
	}
	wantErr(t, "Stat after a failed upload", statErr(b.store, ref), archive.ErrNotFound)
	for up := range b.raw.ListIncompleteUploads(ctx, b.bucket, "", true) {
		t.Errorf("upload left behind: %+v", up)
	}

	// Bytes that do not hash to their ref fail at the very end, after
	// every part is up: the upload is aborted all the same.
	wrong := refOfGenerated(t, 3, size)
	_, err = archive.Put(ctx, b.store, wrong, generated(2, size))
	wantErr(t, "Put of 12 MiB under a wrong ref", err, archive.ErrCorrupt)
	wantErr(t, "Stat after a corrupt upload", statErr(b.store, wrong), archive.ErrNotFound)
	if refs := refsOf(t, b.store); len(refs) != 0 {
		t.Fatalf("after failed uploads, Enumerate gives %v", refs)
	}
}

func statErr(s archive.BlobStore, ref archive.Ref) error {
	_, err := s.Stat(context.Background(), ref)
	return err
}

func testErrors(t *testing.T, srv s3test.Server) {
	ctx := context.Background()
	b := setup(t, srv, s3.Config{})
	missing := archive.RefOf([]byte("never stored"))
	_, _, err := b.store.Open(ctx, missing)
	wantErr(t, "Open of a missing blob", err, archive.ErrNotFound)
	_, err = b.store.Version(ctx, missing)
	wantErr(t, "Version of a missing blob", err, archive.ErrNotFound)

	ref := mustPut(t, b.store, []byte("biên nhận hồ sơ"))
	// A well-formed version ID (formats differ between servers) that
	// belongs to another key.
	otherVersion := mustVersion(t, b.store, mustPut(t, b.store, []byte("another blob")))
	wantErr(t, "OpenVersion of an unknown version", openErr(b.store, ref, otherVersion), archive.ErrNotFound)
	wantErr(t, "DeleteVersion with no version", b.store.DeleteVersion(ctx, ref, ""), archive.ErrInvalid)
	_, err = b.store.Stat(ctx, "sha256-XYZ")
	wantErr(t, "Stat of a malformed ref", err, archive.ErrInvalid)
}

func testNew(t *testing.T, srv s3test.Server) {
	ctx := context.Background()
	cfg := s3.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: bucketName(t)}
	_, err := s3.New(ctx, cfg)
	wantErr(t, "New on a missing bucket without CreateBucket", err, archive.ErrNotFound)

	// A bucket made without Object Lock is refused for retention and
	// accepted for a replica.
	if err := srv.Client(t).MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = s3.New(ctx, cfg)
	wantErr(t, "New with retention on a bucket without Object Lock", err, archive.ErrInvalid)
	cfg.Retention = -1
	s, err := s3.New(ctx, cfg)
	if err != nil {
		t.Fatalf("New for a replica: %v", err)
	}
	ref := mustPut(t, s, []byte("bản sao"))
	if v := mustVersion(t, s, ref); v != "" {
		t.Fatalf("Version on a bucket without versioning: %q, want \"\"", v)
	}
	for _, v := range []string{"", "null"} {
		if got := string(readVersion(t, s, ref, v)); got != "bản sao" {
			t.Fatalf("OpenVersion(%q) on an unversioned bucket: %q", v, got)
		}
	}

	for _, bad := range []s3.Config{
		{Bucket: "b", AccessKey: "a", SecretKey: "s"},
		{Endpoint: srv.Endpoint, AccessKey: "a", SecretKey: "s"},
		{Endpoint: srv.Endpoint, Bucket: "b", AccessKey: "a", SecretKey: "s", PartSize: 1 << 20},
	} {
		_, err := s3.New(ctx, bad)
		wantErr(t, "New with a bad Config", err, archive.ErrInvalid)
	}
}

func testPrefix(t *testing.T, srv s3test.Server) {
	ctx := context.Background()
	b := setup(t, srv, s3.Config{Prefix: "khoso/"})
	ref := mustPut(t, b.store, []byte("hồ sơ"))
	if k := b.store.Key(ref); k != "khoso/sha256/"+ref.Hex() {
		t.Fatalf("Key = %q", k)
	}
	// Objects outside the prefix are not blobs.
	if _, err := b.raw.PutObject(ctx, b.bucket, "sha256/"+ref.Hex(), strings.NewReader("x"), 1, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if refs := refsOf(t, b.store); len(refs) != 1 || refs[ref] != int64(len("hồ sơ")) {
		t.Fatalf("Enumerate with prefix: %v", refs)
	}
}
