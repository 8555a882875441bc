package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/localdisk"
	"github.com/khoso-vn/khoso/archive/s3"
)

// openBlobs opens the blob store KHOSO_BLOB_URL names, mirrored to
// KHOSO_REPLICA_URL when that is set.
func openBlobs(ctx context.Context, s *settings) (archive.BlobStore, error) {
	primary, err := openBlobURL(ctx, s.BlobURL, s, false)
	if err != nil {
		return nil, fmt.Errorf("KHOSO_BLOB_URL: %w", err)
	}
	if s.ReplicaURL == "" {
		return primary, nil
	}
	replica, err := openBlobURL(ctx, s.ReplicaURL, s, true)
	if err != nil {
		return nil, fmt.Errorf("KHOSO_REPLICA_URL: %w", err)
	}
	return &archive.Mirror{Primary: primary, Replica: replica}, nil
}

// openBlobURL opens file://DIR (default DATA/blobs) or
// s3://BUCKET?endpoint=http(s)://HOST:PORT[&region=R][&prefix=P].
func openBlobURL(ctx context.Context, raw string, s *settings, replica bool) (archive.BlobStore, error) {
	if raw == "" {
		return localdisk.New(localdisk.Config{Dir: filepath.Join(s.Data, "blobs")})
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	switch u.Scheme {
	case "file":
		return localdisk.New(localdisk.Config{Dir: u.Host + u.Path})
	case "s3":
		cfg, err := s3Config(u, s, replica)
		if err != nil {
			return nil, err
		}
		return s3.New(ctx, cfg)
	default:
		return nil, fmt.Errorf("%q: cần / want file://DIR hoặc/or s3://BUCKET?endpoint=http://HOST:PORT", raw)
	}
}

func s3Config(u *url.URL, s *settings, replica bool) (s3.Config, error) {
	q := u.Query()
	ep, err := url.Parse(q.Get("endpoint"))
	if err != nil || ep.Host == "" || (ep.Scheme != "http" && ep.Scheme != "https") {
		return s3.Config{}, fmt.Errorf("s3://%s: thiếu / needs ?endpoint=http(s)://HOST:PORT", u.Host)
	}
	cfg := s3.Config{Endpoint: ep.Host, Secure: ep.Scheme == "https", Region: q.Get("region"), Bucket: u.Host,
		Prefix: q.Get("prefix"), AccessKey: s.S3AccessKey, SecretKey: s.S3SecretKey, CreateBucket: true,
		Retention: s.Retention}
	if replica && s.ReplicaAccessKey != "" {
		cfg.AccessKey, cfg.SecretKey = s.ReplicaAccessKey, s.ReplicaSecretKey
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return cfg, fmt.Errorf("s3://%s: cần đặt / set KHOSO_S3_ACCESS_KEY và/and KHOSO_S3_SECRET_KEY (hoặc/or _FILE)", u.Host)
	}
	return cfg, nil
}

// parseRetention reads a retention period: a number of years ("10y"), days
// ("3650d"), or a Go duration ("87600h"); "none" stores without Object Lock.
func parseRetention(v string) (time.Duration, error) {
	switch {
	case v == "":
		return 0, nil // the store's default, ten years
	case v == "none":
		return -1, nil
	case strings.HasSuffix(v, "y"), strings.HasSuffix(v, "d"):
		n, err := strconv.Atoi(v[:len(v)-1])
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("KHOSO_S3_RETENTION %q: cần / want e.g. 10y, 3650d, none", v)
		}
		day := 24 * time.Hour
		if strings.HasSuffix(v, "y") {
			return time.Duration(n) * 365 * day, nil
		}
		return time.Duration(n) * day, nil
	default:
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return 0, fmt.Errorf("KHOSO_S3_RETENTION %q: cần / want e.g. 10y, 3650d, none", v)
		}
		return d, nil
	}
}
