package s3_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/archivetest"
	"github.com/khoso-vn/khoso/archive/s3"
	"github.com/khoso-vn/khoso/archive/s3/s3test"
)

// Each server starts once per test binary; every subtest gets its own
// bucket. Both servers keep versions and honour Object Lock, so both run
// every test with retention.

func TestMinIO(t *testing.T) {
	t.Parallel()
	runAll(t, s3test.StartMinIO(t))
}

func TestVersityGW(t *testing.T) {
	t.Parallel()
	runAll(t, s3test.StartVersityGW(t))
}

func runAll(t *testing.T, srv s3test.Server) {
	tests := []struct {
		name string
		fn   func(*testing.T, s3test.Server)
	}{
		{"BlobStore", testBlobStore},
		{"BlobStoreWithoutRetention", testBlobStoreWithoutRetention},
		{"Retention", testRetention},
		{"DeleteMarker", testDeleteMarker},
		{"LargeObjectStreams", testLarge},
		{"FailingReaderLeavesNothing", testFailingReader},
		{"Errors", testErrors},
		{"New", testNew},
		{"Prefix", testPrefix},
		{"Anchorer", testAnchorer},
		{"AnchorerWithoutRetention", testAnchorerWithoutRetention},
		{"AnchorRetained", testAnchorRetained},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { t.Parallel(); tt.fn(t, srv) })
	}
}

// bundle is one store on a fresh bucket, with a raw client to act behind
// its back.
type bundle struct {
	store  *s3.Store
	raw    *minio.Client
	bucket string
}

func setup(tb testing.TB, srv s3test.Server, cfg s3.Config) bundle {
	tb.Helper()
	if cfg.Bucket == "" {
		cfg.Bucket = bucketName(tb)
	}
	cfg.Endpoint, cfg.AccessKey, cfg.SecretKey = srv.Endpoint, srv.AccessKey, srv.SecretKey
	cfg.CreateBucket = true
	s, err := s3.New(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("s3.New: %v", err)
	}
	return bundle{store: s, raw: srv.Client(tb), bucket: cfg.Bucket}
}

func bucketName(tb testing.TB) string {
	b := make([]byte, 8)
	rand.Read(b)
	return "khoso-" + hex.EncodeToString(b)
}

// harness runs the conformance suite. Damage writes different bytes under
// the blob's key through the raw client. With Object Lock that is the only
// damage the S3 API allows: it adds a new version (the retained one stays
// intact, see testRetention), and since Open reads the newest version,
// Check must report ErrCorrupt. Rot on the server's disks is the server's
// to detect (MinIO heals it); what khoso can see through S3 is this.
func harness(srv s3test.Server, cfg s3.Config) archivetest.BlobHarness {
	var mu sync.Mutex
	buckets := map[*s3.Store]bundle{}
	return archivetest.BlobHarness{
		New: func(t testing.TB) archive.BlobStore {
			b := setup(t, srv, cfg)
			mu.Lock()
			defer mu.Unlock()
			buckets[b.store] = b
			return b.store
		},
		Damage: func(t testing.TB, s archive.BlobStore, ref archive.Ref) {
			mu.Lock()
			b := buckets[s.(*s3.Store)]
			mu.Unlock()
			b.overwrite(t, ref, []byte("not what was signed"))
		},
	}
}

func (b bundle) overwrite(tb testing.TB, ref archive.Ref, data []byte) {
	tb.Helper()
	_, err := b.raw.PutObject(context.Background(), b.bucket, b.store.Key(ref),
		bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{})
	if err != nil {
		tb.Fatalf("raw overwrite of %s: %v", ref, err)
	}
}

func testBlobStore(t *testing.T, srv s3test.Server) {
	archivetest.TestBlobStore(t, harness(srv, s3.Config{}))
}

func testBlobStoreWithoutRetention(t *testing.T, srv s3test.Server) {
	archivetest.TestBlobStore(t, harness(srv, s3.Config{Retention: -1}))
}

func mustPut(tb testing.TB, s archive.BlobStore, data []byte) archive.Ref {
	tb.Helper()
	ref, err := archive.PutBytes(context.Background(), s, data)
	if err != nil {
		tb.Fatalf("PutBytes: %v", err)
	}
	return ref
}

func mustVersion(tb testing.TB, s *s3.Store, ref archive.Ref) string {
	tb.Helper()
	v, err := s.Version(context.Background(), ref)
	if err != nil {
		tb.Fatalf("Version(%s): %v", ref, err)
	}
	return v
}

// readVersion reads one version of ref whole.
func readVersion(tb testing.TB, s *s3.Store, ref archive.Ref, version string) []byte {
	tb.Helper()
	rc, size, err := s.OpenVersion(context.Background(), ref, version)
	if err != nil {
		tb.Fatalf("OpenVersion(%s, %s): %v", ref, version, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil || int64(len(b)) != size {
		tb.Fatalf("read version %s: %d bytes of %d, %v", version, len(b), size, err)
	}
	return b
}

func refsOf(tb testing.TB, s archive.BlobStore) map[archive.Ref]int64 {
	tb.Helper()
	got := map[archive.Ref]int64{}
	err := s.Enumerate(context.Background(), func(ref archive.Ref, size int64) error {
		got[ref] = size
		return nil
	})
	if err != nil {
		tb.Fatalf("Enumerate: %v", err)
	}
	return got
}

func wantErr(tb testing.TB, what string, err, want error) {
	tb.Helper()
	if !errors.Is(err, want) {
		tb.Fatalf("%s: %v, want an error wrapping %q", what, err, want)
	}
	if !errors.Is(want, archive.ErrCorrupt) && !strings.Contains(err.Error(), "s3: ") {
		tb.Fatalf("%s: %q lacks the \"s3: \" prefix", what, err)
	}
}
