package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/web"
)

// settings are the operator's choices, from flags then KHOSO_* variables.
type settings struct {
	Data        string // --data, KHOSO_DATA; default ./khoso-data
	DatabaseURL string // KHOSO_DATABASE_URL; default DATA/catalog.db (SQLite)
	BlobURL     string // KHOSO_BLOB_URL; default file://DATA/blobs
	ReplicaURL  string // KHOSO_REPLICA_URL: a second, independent copy of every blob; default none
	// S3 credentials: KHOSO_S3_ACCESS_KEY, KHOSO_S3_SECRET_KEY (or _FILE);
	// the replica's KHOSO_REPLICA_S3_ACCESS_KEY/_SECRET_KEY default to them.
	S3AccessKey, S3SecretKey           string
	ReplicaAccessKey, ReplicaSecretKey string
	Retention                          time.Duration // KHOSO_S3_RETENTION; default 10 years
	SigningKey                         string        // KHOSO_SIGNING_KEY: a .p12 path; default a development identity in DATA/signing
	KeyPassword                        string        // KHOSO_SIGNING_KEY_PASSWORD or _FILE
	SigningChain                       string        // KHOSO_SIGNING_CHAIN: PEM of the agency certificate's issuers, issuer first
	TrustAnchors                       string        // KHOSO_TRUST_ANCHORS: PEM of the roots signatures are checked against
	ClerkKeys                          string        // KHOSO_CLERK_KEYS: folder of clerks' personal .p12 files
	ClerkKeyPassword                   string        // KHOSO_CLERK_KEY_PASSWORD or _FILE
	TSAURL                             string        // KHOSO_TSA_URL; default a built-in development TSA
	JobTimeout                         time.Duration // KHOSO_JOB_TIMEOUT: time limit of one pipeline stage; default 30m
	RenewMargin                        time.Duration // KHOSO_RENEW_MARGIN: renew timestamps this long before their TSA certificate or algorithm ends; default 4320h
	AgencyName                         string        // KHOSO_AGENCY_NAME
	// AgencyCode is the server's own agency (KHOSO_AGENCY_CODE; default
	// web.DefaultAgency, "KHOSO"): an admin's batch that names no agency
	// belongs to it, and so do records stored before every batch had one.
	AgencyCode string
	// PublicURL is where the public reaches this server, for the QR code of
	// copies (PublicURL/verify/CODE): KHOSO_PUBLIC_URL; serve defaults it to
	// http:// and its listen address.
	PublicURL string
	// Scan holds page normalisation: KHOSO_MAX_DPI (default 300; pages above
	// it are resampled down, -1 keeps every resolution), KHOSO_DESKEW_THRESHOLD
	// (degrees, default 0.1; -1 never rotates), KHOSO_MAX_PAGE_MEGAPIXELS
	// (default 120) and KHOSO_MAX_PAGES (pages in one file, default 2000).
	Scan scan.Options
}

// defaultAgencyName is printed on development results until an operator
// sets KHOSO_AGENCY_NAME.
const defaultAgencyName = "Cơ quan thử nghiệm khoso"

// serverFlags registers the flags every operator command shares.
func serverFlags(fs *flag.FlagSet, env Env) *settings {
	s := &settings{}
	fs.StringVar(&s.Data, "data", envOr(env, "KHOSO_DATA", "khoso-data"), "thư mục dữ liệu / data directory (KHOSO_DATA)")
	return s
}

// fromEnv completes s from the environment, after flags are parsed.
func (s *settings) fromEnv(env Env) error {
	s.DatabaseURL = env.Getenv("KHOSO_DATABASE_URL")
	s.BlobURL = env.Getenv("KHOSO_BLOB_URL")
	s.ReplicaURL = env.Getenv("KHOSO_REPLICA_URL")
	s.SigningKey = env.Getenv("KHOSO_SIGNING_KEY")
	s.ClerkKeys = env.Getenv("KHOSO_CLERK_KEYS")
	s.SigningChain = env.Getenv("KHOSO_SIGNING_CHAIN")
	s.TrustAnchors = env.Getenv("KHOSO_TRUST_ANCHORS")
	s.TSAURL = env.Getenv("KHOSO_TSA_URL")
	s.AgencyName = envOr(env, "KHOSO_AGENCY_NAME", defaultAgencyName)
	s.AgencyCode = envOr(env, "KHOSO_AGENCY_CODE", web.DefaultAgency)
	s.PublicURL = env.Getenv("KHOSO_PUBLIC_URL")
	if u, err := url.Parse(s.PublicURL); s.PublicURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		return fmt.Errorf("KHOSO_PUBLIC_URL %q: cần một URL http hoặc https đầy đủ / want an absolute http or https URL such as https://khoso.example.vn", s.PublicURL)
	}
	var err error
	if s.Retention, err = parseRetention(env.Getenv("KHOSO_S3_RETENTION")); err != nil {
		return err
	}
	if v := env.Getenv("KHOSO_RENEW_MARGIN"); v != "" {
		if s.RenewMargin, err = time.ParseDuration(v); err != nil || s.RenewMargin <= 0 {
			return fmt.Errorf("KHOSO_RENEW_MARGIN %q: cần một khoảng thời gian / want a duration such as 4320h", v)
		}
	}
	if v := env.Getenv("KHOSO_JOB_TIMEOUT"); v != "" {
		if s.JobTimeout, err = time.ParseDuration(v); err != nil || s.JobTimeout <= 0 {
			return fmt.Errorf("KHOSO_JOB_TIMEOUT %q: cần một khoảng thời gian / want a duration such as 30m", v)
		}
	}
	if err := s.scanFromEnv(env); err != nil {
		return err
	}
	for key, dst := range map[string]*string{
		"KHOSO_SIGNING_KEY_PASSWORD":  &s.KeyPassword,
		"KHOSO_CLERK_KEY_PASSWORD":    &s.ClerkKeyPassword,
		"KHOSO_S3_ACCESS_KEY":         &s.S3AccessKey,
		"KHOSO_S3_SECRET_KEY":         &s.S3SecretKey,
		"KHOSO_REPLICA_S3_ACCESS_KEY": &s.ReplicaAccessKey,
		"KHOSO_REPLICA_S3_SECRET_KEY": &s.ReplicaSecretKey,
	} {
		if *dst, err = secret(env, key); err != nil {
			return err
		}
	}
	return nil
}

// scanFromEnv reads the page normalisation settings.
func (s *settings) scanFromEnv(env Env) error {
	num := func(key string, min float64) (float64, error) {
		v := env.Getenv(key)
		if v == "" {
			return 0, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < min || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, fmt.Errorf("%s %q: cần một số không nhỏ hơn / want a number of at least %g", key, v, min)
		}
		return f, nil
	}
	var err error
	if s.Scan.MaxDPI, err = num("KHOSO_MAX_DPI", -1); err != nil {
		return err
	}
	if s.Scan.DeskewThreshold, err = num("KHOSO_DESKEW_THRESHOLD", -1); err != nil {
		return err
	}
	mp, err := num("KHOSO_MAX_PAGE_MEGAPIXELS", 1)
	if err != nil {
		return err
	}
	s.Scan.MaxPixels = int64(mp * 1e6)
	pages, err := num("KHOSO_MAX_PAGES", 1)
	if err != nil {
		return err
	}
	s.Scan.MaxPages = int(pages)
	return nil
}

// isPostgres reports whether the catalog is on PostgreSQL.
func (s *settings) isPostgres() bool {
	return strings.HasPrefix(s.DatabaseURL, "postgres://") || strings.HasPrefix(s.DatabaseURL, "postgresql://")
}

// sqlitePath returns the SQLite file the catalog lives in.
func (s *settings) sqlitePath() string {
	if s.DatabaseURL == "" {
		return filepath.Join(s.Data, "catalog.db")
	}
	return strings.TrimPrefix(strings.TrimPrefix(s.DatabaseURL, "sqlite://"), "sqlite:")
}

func envOr(env Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}

// secret reads key, or the file named by key_FILE (trailing newline
// removed).
func secret(env Env, key string) (string, error) {
	if v := env.Getenv(key); v != "" {
		return v, nil
	}
	f := env.Getenv(key + "_FILE")
	if f == "" {
		return "", nil
	}
	b, err := os.ReadFile(f)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", key, err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// parse parses flags placed anywhere among positional arguments, and
// returns the positional ones. A wrong flag is reported in Vietnamese and
// English with the command's usage and flags; --help prints them and ends
// the command without an error.
func parse(fs *flag.FlagSet, args []string, env Env) ([]string, error) {
	fs.SetOutput(io.Discard) // the flag package's own messages are English only
	fs.Usage = func() {}
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			printFlags(fs, env.Stdout)
			return nil, exitError{0}
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: cờ sai / bad flag: %s\n", fs.Name(), flagError(err))
			printFlags(fs, env.Stderr)
			return nil, exitError{2}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// flagError says in both languages what the flag package found wrong.
func flagError(err error) string {
	msg := err.Error()
	for _, p := range []struct{ prefix, vi, en string }{
		{"flag provided but not defined: ", "không có cờ này", "no such flag"},
		{"flag needs an argument: ", "cờ cần một giá trị", "the flag needs a value"},
		{"invalid value ", "giá trị không hợp lệ", "invalid value"},
		{"invalid boolean value ", "giá trị không hợp lệ", "invalid value"},
	} {
		if rest, ok := strings.CutPrefix(msg, p.prefix); ok {
			if p.prefix == "invalid value " || p.prefix == "invalid boolean value " {
				rest, _, _ = strings.Cut(rest, ": ") // drop the parser's English reason
			}
			return fmt.Sprintf("%s / %s: %s", p.vi, p.en, rest)
		}
	}
	return msg
}

// printFlags writes the command's usage and its flags.
func printFlags(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "cách dùng / usage: %s\n", commandUsage(strings.TrimPrefix(fs.Name(), "khoso ")))
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("khoso "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}
