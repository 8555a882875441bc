package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/migrations"
	"github.com/khoso-vn/khoso/signing"
)

// storage is the catalog and blob store an operator command acts on.
type storage struct {
	dialect migrations.Dialect
	db      *sql.DB
	pool    *pgxpool.Pool // PostgreSQL only
	catalog *sqlstore.Store
	blobs   archive.BlobStore
}

// openStorage opens (creating and migrating when new) the catalog and the
// blob store. The data directory is kept to this user alone.
func openStorage(ctx context.Context, s *settings) (*storage, error) {
	if err := privateDataDir(s.Data); err != nil {
		return nil, err
	}
	st, err := openCatalog(ctx, s)
	if err != nil {
		return nil, err
	}
	if err := st.migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if st.blobs, err = openBlobs(ctx, s); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openCatalog connects to SQLite or PostgreSQL as KHOSO_DATABASE_URL says.
func openCatalog(ctx context.Context, s *settings) (*storage, error) {
	st := &storage{dialect: migrations.SQLite}
	dialect := sqlstore.SQLiteDialect
	var err error
	if s.isPostgres() {
		st.dialect, dialect = migrations.Postgres, sqlstore.PostgresDialect
		st.pool, st.db, err = sqlstore.OpenPostgres(ctx, s.DatabaseURL)
	} else {
		st.db, err = sqlstore.OpenSQLite(s.sqlitePath())
	}
	if err != nil {
		return nil, err
	}
	if st.catalog, err = sqlstore.New(sqlstore.Config{DB: st.db, Dialect: dialect}); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// Close closes the database.
func (st *storage) Close() error {
	err := st.db.Close()
	if st.pool != nil {
		st.pool.Close()
	}
	return err
}

// migrate applies the catalog's and River's migrations; running it again
// is harmless.
func (st *storage) migrate(ctx context.Context) error {
	if err := migrations.Up(ctx, st.db, st.dialect); err != nil {
		return err
	}
	var err error
	if st.dialect == migrations.Postgres {
		err = riverMigrate(ctx, riverpgxv5.New(st.pool))
	} else {
		err = riverMigrate(ctx, riversqlite.New(st.db))
	}
	return err
}

func riverMigrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	return nil
}

// signer is the signing side: the agency's signer, the trust anchors, and
// the built-in TSA when one runs.
type signer struct {
	*signing.Signer
	key  crypto.Signer
	cert *x509.Certificate
	// clerk returns a clerk's personal signer.
	clerk ingest.ClerkSignerFunc
	roots *x509.CertPool
	tsa   *http.Server
	// revocation serves the development CA's CRL and OCSP responder.
	revocation *revocationServer
}

// signDigest signs a SHA-256 digest with the agency key (ECDSA ASN.1 or
// RSA-PSS), for audit checkpoints.
func (sg *signer) signDigest(digest []byte) ([]byte, []byte, error) {
	var opts crypto.SignerOpts = crypto.SHA256
	if _, ok := sg.key.Public().(*rsa.PublicKey); ok {
		opts = &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: rsa.PSSSaltLengthEqualsHash}
	}
	sig, err := sg.key.Sign(rand.Reader, digest, opts)
	return sig, sg.cert.Raw, err
}

// probe signs a throw-away digest, proving the key (or HSM) answers.
func (sg *signer) probe() error {
	digest := sha256.Sum256([]byte("khoso readiness probe"))
	_, err := sg.key.Sign(rand.Reader, digest[:], crypto.SHA256)
	return err
}

// openSigner loads the configured key, or creates/loads the development
// identity and serves its revocation status (see revocation.go), and starts
// the built-in TSA when no TSA URL is configured.
func openSigner(s *settings, log *slog.Logger) (*signer, error) {
	if s.SigningKey != "" {
		return openProductionSigner(s)
	}
	dir := filepath.Join(s.Data, "signing")
	revAddr, err := devRevocationAddr(dir)
	if err != nil {
		return nil, fmt.Errorf("development revocation server: %w", err)
	}
	dev, err := signing.EnsureDevelopmentPKI(signing.DevConfig{Dir: dir, AgencyName: s.AgencyName, Now: time.Now(),
		RevocationURL: "http://" + revAddr})
	if err != nil {
		return nil, err
	}
	rev, err := signing.NewRevocationServer(dev, time.Now)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(dev.CA)
	out := &signer{roots: roots, key: dev.Agency.Signer, cert: dev.Agency.Certificate}
	if out.revocation, err = serveRevocation(revAddr, rev, dev.CA, log); err != nil {
		return nil, err
	}
	tsaURL := s.TSAURL
	if tsaURL == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			out.Close()
			return nil, fmt.Errorf("built-in TSA: %w", err)
		}
		h, err := signing.NewTSA(dev.TSA, time.Now)
		if err != nil {
			ln.Close()
			out.Close()
			return nil, err
		}
		out.tsa = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go out.tsa.Serve(ln)
		tsaURL = "http://" + ln.Addr().String()
		log.Warn("signing with a DEVELOPMENT identity and the built-in DEVELOPMENT time-stamp authority; results are not legally valid",
			"ca", dev.CAFile, "tsa", tsaURL)
	}
	out.Signer, err = signing.NewSigner(signing.Config{Identity: dev.Agency, TSAURL: tsaURL, Roots: roots,
		Name: dev.Agency.Certificate.Subject.CommonName, Location: "Việt Nam"})
	if err != nil {
		out.Close()
		return nil, err
	}
	out.clerk = devClerks(dev, tsaURL, roots)
	return out, nil
}

// openProductionSigner loads the agency's key from a PKCS#12 file or a
// PKCS#11 token (pkcs11:token=…;object=…), with its chain and the trust
// anchors; it needs a real TSA.
func openProductionSigner(s *settings) (*signer, error) {
	if s.TSAURL == "" {
		return nil, fmt.Errorf("đã đặt KHOSO_SIGNING_KEY: cần đặt cả KHOSO_TSA_URL (máy chủ dấu thời gian) / KHOSO_SIGNING_KEY is set: set KHOSO_TSA_URL to the time-stamp authority too")
	}
	id, err := loadAgencyKey(s)
	if err != nil {
		return nil, fmt.Errorf("KHOSO_SIGNING_KEY: %w", err)
	}
	if s.SigningChain != "" {
		if id.Chain, err = readCerts(s.SigningChain); err != nil {
			return nil, fmt.Errorf("KHOSO_SIGNING_CHAIN: %w", err)
		}
	}
	roots := x509.NewCertPool()
	anchors := id.Chain
	if s.TrustAnchors != "" {
		if anchors, err = readCerts(s.TrustAnchors); err != nil {
			return nil, fmt.Errorf("KHOSO_TRUST_ANCHORS: %w", err)
		}
	}
	for _, c := range anchors {
		roots.AddCert(c)
	}
	sg, err := signing.NewSigner(signing.Config{Identity: id, TSAURL: s.TSAURL, Roots: roots,
		Name: s.AgencyName, Location: "Việt Nam"})
	if err != nil {
		return nil, err
	}
	return &signer{Signer: sg, roots: roots, key: id.Signer, cert: id.Certificate,
		clerk: fileClerks(s.ClerkKeys, s.ClerkKeyPassword, s.TSAURL, roots)}, nil
}

// loadAgencyKey opens the key KHOSO_SIGNING_KEY names; its password (or
// PIN) is KHOSO_SIGNING_KEY_PASSWORD.
func loadAgencyKey(s *settings) (*signing.Identity, error) {
	if strings.HasPrefix(s.SigningKey, "pkcs11:") {
		return signing.OpenPKCS11(s.SigningKey, s.KeyPassword)
	}
	data, err := os.ReadFile(s.SigningKey)
	if err != nil {
		return nil, err
	}
	return signing.LoadPKCS12(data, s.KeyPassword)
}

// readCerts reads every certificate of a PEM file.
func readCerts(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: không có chứng thư PEM / no PEM certificate", path)
	}
	return out, nil
}

// Close stops the built-in TSA and the development revocation server.
func (sg *signer) Close() error {
	var err error
	if sg.tsa != nil {
		err = sg.tsa.Close()
	}
	if sg.revocation != nil {
		err = errors.Join(err, sg.revocation.Close())
	}
	return err
}

// existingStorage opens the storage of an operator command that reads or
// changes data that must already exist: a data directory without a catalog
// is refused rather than silently created empty.
func existingStorage(ctx context.Context, s *settings) (*storage, error) {
	if !s.isPostgres() {
		if _, err := os.Stat(s.sqlitePath()); errors.Is(err, os.ErrNotExist) {
			abs, _ := filepath.Abs(s.Data)
			return nil, fmt.Errorf("thư mục dữ liệu %s không có dữ liệu khoso (thiếu %s): chỉ đúng thư mục bằng --data hoặc KHOSO_DATA, "+
				"hoặc chạy khoso serve hay khoso migrate để tạo mới / data directory %s holds no khoso data (no %s): "+
				"point --data or KHOSO_DATA at the right one, or run khoso serve or khoso migrate to create one",
				abs, filepath.Base(s.sqlitePath()), abs, filepath.Base(s.sqlitePath()))
		}
	}
	return openStorage(ctx, s)
}
