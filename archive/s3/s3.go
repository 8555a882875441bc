package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/khoso-vn/khoso/archive"
)

var _ archive.BlobStore = (*Store)(nil)

const (
	// DefaultRetention is the retention used when Config.Retention is 0:
	// ten years of 365.25 days.
	DefaultRetention = 87660 * time.Hour
	// DefaultPartSize is the part size used when Config.PartSize is 0.
	DefaultPartSize = 16 << 20
	// minPartSize is the smallest part S3 accepts for all parts but the last.
	minPartSize = 5 << 20
)

// Config configures a Store.
type Config struct {
	// Endpoint is the server's host:port, e.g. "s3.example.vn:9000". Required.
	Endpoint string
	// Secure selects HTTPS. Default false (plain HTTP).
	Secure bool
	// Region is the bucket's region. Default "": the server's default,
	// found by asking it.
	Region string
	// Bucket holds the blobs. Required.
	Bucket string
	// AccessKey and SecretKey are the credentials. Required.
	AccessKey, SecretKey string
	// Prefix is put before every key: an object's key is
	// Prefix + "sha256/" + hex digest. Default "" (keys at the bucket root).
	// Give it a trailing "/" to make it a folder.
	Prefix string
	// Retention is how long each stored object is locked in COMPLIANCE
	// mode. 0 means DefaultRetention (ten years). A negative value stores
	// objects without retention and lets New accept a bucket without
	// versioning or Object Lock: use it only for replicas on servers that
	// have no Object Lock, never for the primary copy.
	Retention time.Duration
	// CreateBucket lets New create Bucket when it is missing, with Object
	// Lock (and so versioning) enabled unless Retention is negative.
	// Default false: a missing bucket is an error, so that a misspelt name
	// in production does not quietly start an empty archive.
	CreateBucket bool
	// PartSize is the size of each part of the multipart upload Receive
	// streams, and so the memory one Receive holds. Default DefaultPartSize
	// (16 MiB); at least 5 MiB, S3's smallest part.
	PartSize uint64
}

// withDefaults validates cfg and fills in its defaults, in one place.
func (cfg Config) withDefaults() (Config, error) {
	for _, f := range []struct{ name, value string }{
		{"Endpoint", cfg.Endpoint}, {"Bucket", cfg.Bucket},
		{"AccessKey", cfg.AccessKey}, {"SecretKey", cfg.SecretKey},
	} {
		if f.value == "" {
			return cfg, fmt.Errorf("s3: new: Config.%s is empty: %w", f.name, archive.ErrInvalid)
		}
	}
	if cfg.Retention == 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.PartSize == 0 {
		cfg.PartSize = DefaultPartSize
	}
	if cfg.PartSize < minPartSize {
		return cfg, fmt.Errorf("s3: new: Config.PartSize %d is below 5 MiB: %w", cfg.PartSize, archive.ErrInvalid)
	}
	return cfg, nil
}

// Store is a BlobStore in an S3 bucket. It is safe for concurrent use.
type Store struct {
	client    *minio.Client
	bucket    string
	prefix    string
	retention time.Duration // <= 0: none
	partSize  uint64
	versioned bool // the bucket keeps versions
}

// New connects to the bucket of cfg. It creates the bucket when it is
// missing and cfg.CreateBucket is set, and checks that a bucket for
// retention (cfg.Retention not negative) has versioning and Object Lock
// enabled. A bad Config or bucket wraps archive.ErrInvalid; a missing bucket
// wraps archive.ErrNotFound.
func New(ctx context.Context, cfg Config) (*Store, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.Secure,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("s3: new %s: %w: %w", cfg.Endpoint, archive.ErrInvalid, err)
	}
	s := &Store{
		client:    client,
		bucket:    cfg.Bucket,
		prefix:    cfg.Prefix,
		retention: cfg.Retention,
		partSize:  cfg.PartSize,
	}
	if err := s.ensureBucket(ctx, cfg.Region, cfg.CreateBucket); err != nil {
		return nil, err
	}
	if err := s.checkBucket(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// ensureBucket creates the bucket when it is missing and create is set.
func (s *Store) ensureBucket(ctx context.Context, region string, create bool) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("s3: new: bucket %s: %w", s.bucket, err)
	}
	if ok {
		return nil
	}
	if !create {
		return fmt.Errorf("s3: new: bucket %s does not exist (create it with Object Lock, or set Config.CreateBucket): %w",
			s.bucket, archive.ErrNotFound)
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region, ObjectLocking: s.retention > 0})
	if code := minio.ToErrorResponse(err).Code; err != nil && code != minio.BucketAlreadyOwnedByYou {
		return fmt.Errorf("s3: new: create bucket %s: %w", s.bucket, err)
	}
	return nil
}

// checkBucket learns whether the bucket keeps versions and, when objects
// are to be retained, that it has Object Lock.
func (s *Store) checkBucket(ctx context.Context) error {
	v, verr := s.client.GetBucketVersioning(ctx, s.bucket)
	s.versioned = verr == nil && v.Enabled()
	if s.retention <= 0 {
		return nil // a replica: versions are used when the server keeps them
	}
	if verr != nil {
		return fmt.Errorf("s3: new: bucket %s: versioning: %w", s.bucket, verr)
	}
	lock, _, _, _, err := s.client.GetObjectLockConfig(ctx, s.bucket)
	if err != nil && minio.ToErrorResponse(err).Code != "ObjectLockConfigurationNotFoundError" {
		return fmt.Errorf("s3: new: bucket %s: object lock: %w", s.bucket, err)
	}
	if lock != "Enabled" || !s.versioned {
		return fmt.Errorf("s3: new: bucket %s has no Object Lock (versioning %q): "+
			"create it with Object Lock, or set a negative Config.Retention for a replica: %w",
			s.bucket, v.Status, archive.ErrInvalid)
	}
	return nil
}

// Key returns the object key that holds ref, for operators and tests.
func (s *Store) Key(ref archive.Ref) string { return s.prefix + "sha256/" + ref.Hex() }

// listPrefix is the prefix of every blob key.
func (s *Store) listPrefix() string { return s.prefix + "sha256/" }

// refOf returns the Ref stored under key, or false for a key not of ours.
func (s *Store) refOf(key string) (archive.Ref, bool) {
	hex, ok := strings.CutPrefix(key, s.listPrefix())
	if !ok {
		return "", false
	}
	ref, err := archive.ParseRef("sha256-" + hex)
	return ref, err == nil
}

// Receive implements archive.BlobStore. When ref is already stored it reads
// src to the end (so that the Put wrapper can check it) and stores nothing.
// Otherwise it streams src as a multipart upload with a COMPLIANCE
// retention; if src fails, the upload is aborted and nothing is stored.
func (s *Store) Receive(ctx context.Context, ref archive.Ref, src io.Reader) (int64, error) {
	if _, err := archive.ParseRef(string(ref)); err != nil {
		return 0, fmt.Errorf("s3: receive: %w", err)
	}
	r := &sourceReader{ctx: ctx, src: src}
	size, err := s.Stat(ctx, ref)
	switch {
	case err == nil:
		if _, err := io.Copy(io.Discard, r); err != nil {
			return r.n, fmt.Errorf("s3: receive %s: %w", ref, err)
		}
		return size, nil
	case !errors.Is(err, archive.ErrNotFound):
		return 0, fmt.Errorf("s3: receive %s: %w", ref, err)
	}
	return s.upload(ctx, ref, r)
}

// upload streams r to the key of ref.
func (s *Store) upload(ctx context.Context, ref archive.Ref, r *sourceReader) (int64, error) {
	opts := minio.PutObjectOptions{
		ContentType:    "application/octet-stream",
		PartSize:       s.partSize,
		SendContentMd5: true, // AWS asks for it on writes under Object Lock
	}
	if s.retention > 0 {
		opts.Mode = minio.Compliance
		opts.RetainUntilDate = time.Now().Add(s.retention).Truncate(time.Second).Add(time.Second)
	}
	// Size -1: a multipart upload of PartSize parts, read until io.EOF and
	// aborted on any error, so memory stays at one part and a failed
	// source commits nothing.
	info, err := s.client.PutObject(ctx, s.bucket, s.Key(ref), r, -1, opts)
	if err != nil {
		return r.n, fmt.Errorf("s3: receive %s: %w", ref, classify(r.failure(err)))
	}
	if !r.finished() {
		return info.Size, fmt.Errorf("s3: receive %s: upload completed before its source ended", ref)
	}
	return info.Size, nil
}

// Open implements archive.BlobStore. It reads the newest version of ref
// that holds bytes, looking past delete markers.
func (s *Store) Open(ctx context.Context, ref archive.Ref) (io.ReadCloser, int64, error) {
	if _, err := archive.ParseRef(string(ref)); err != nil {
		return nil, 0, fmt.Errorf("s3: open: %w", err)
	}
	key := s.Key(ref)
	rc, size, err := s.get(ctx, key, "")
	if s.versioned && errors.Is(err, archive.ErrNotFound) {
		// The latest version may be a delete marker hiding older ones.
		var info minio.ObjectInfo
		if info, err = s.newestVersion(ctx, key, err); err == nil {
			rc, size, err = s.get(ctx, key, info.VersionID)
		}
	}
	if err != nil {
		return nil, 0, fmt.Errorf("s3: open %s: %w", ref, err)
	}
	return rc, size, nil
}

// Stat implements archive.BlobStore. Like Open, it looks past delete
// markers.
func (s *Store) Stat(ctx context.Context, ref archive.Ref) (int64, error) {
	if _, err := archive.ParseRef(string(ref)); err != nil {
		return 0, fmt.Errorf("s3: stat: %w", err)
	}
	info, err := s.current(ctx, s.Key(ref))
	if err != nil {
		return 0, fmt.Errorf("s3: stat %s: %w", ref, err)
	}
	return info.Size, nil
}

// Enumerate implements archive.BlobStore. S3 lists keys in byte order,
// which for this layout is Ref order. On a versioned bucket it lists
// versions, so that a key whose latest version is a delete marker is still
// enumerated with its newest real version, as Open would read it.
func (s *Store) Enumerate(ctx context.Context, fn func(archive.Ref, int64) error) error {
	opts := minio.ListObjectsOptions{Prefix: s.listPrefix(), Recursive: true, WithVersions: s.versioned}
	done := "" // key whose newest real version was already given to fn
	for obj := range s.client.ListObjectsIter(ctx, s.bucket, opts) {
		if obj.Err != nil {
			return fmt.Errorf("s3: enumerate: %w", obj.Err)
		}
		if obj.Key == done || obj.IsDeleteMarker {
			continue
		}
		ref, ok := s.refOf(obj.Key)
		if !ok {
			continue // not a blob of ours
		}
		done = obj.Key
		if err := fn(ref, obj.Size); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("s3: enumerate: %w", err)
	}
	return nil
}
