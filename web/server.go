// Package web is khoso's HTTP face: the JSON API (batch upload and progress,
// record lookup and download, search, copies, shares, the audit log) and the
// public verification pages. Every route is in routes; every error becomes a
// status through one table in errors.go. Handlers take the small interfaces
// below, so each can be tested alone with fakes.
package web

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/copies"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/search"
)

// Intake takes batches and metadata corrections (ingest.Intake).
type Intake interface {
	// StoreFile stores one uploaded file, checking it against want when
	// want is not empty, and returns its Ref and size.
	StoreFile(ctx context.Context, src io.Reader, want archive.Ref) (archive.Ref, int64, error)
	// Accept records a batch and starts its pipeline; a manifest error wraps
	// ingest.ErrManifest.
	Accept(ctx context.Context, in ingest.BatchInput) (*archive.Batch, error)
	// UpdateMetadata corrects an available record's metadata.
	UpdateMetadata(ctx context.Context, id string, m archive.Metadata) (*archive.Record, error)
}

// Copier issues certified copies (copies.Copier).
type Copier interface {
	// Issue makes, signs, stores and registers a copy.
	Issue(ctx context.Context, req copies.Request) (*archive.Copy, error)
}

// Index answers searches and rebuilds itself (search.Handle).
type Index interface {
	// Search answers q within q.Scope.
	Search(ctx context.Context, q search.Query) (*search.Result, error)
	// Rebuild builds a new index from docs and swaps it in.
	Rebuild(ctx context.Context, docs search.DocsFunc) (search.BuildStats, error)
}

// Config holds the Server's dependencies.
type Config struct {
	Catalog archive.Catalog   // required
	Blobs   archive.BlobStore // required
	Intake  Intake            // required
	Copier  Copier            // required
	Index   Index             // required
	// Roots are the trust anchors signatures are verified against.
	Roots *x509.CertPool
	// Logger receives one line per failed request; default slog.Default().
	Logger *slog.Logger
	// MaxUploadBytes bounds one batch upload; default 8 GiB.
	MaxUploadBytes int64
	// Ready reports whether the process can serve (database, blobs,
	// signing key); nil means always ready.
	Ready func(ctx context.Context) error
	// Metrics, when set, serves GET /metrics (Prometheus) without a token.
	Metrics http.Handler
	// QueueUI, when set, is the job queue's web UI, served to admins under
	// QueueUIPrefix.
	QueueUI http.Handler
	// Auditor, when set, receives every ingest, view, download, share,
	// revoke and refused request.
	Auditor *archive.Auditor
	// Now returns the time; default time.Now.
	Now func() time.Time
}

// QueueUIPrefix is where the job queue's web UI is mounted.
const QueueUIPrefix = "/riverui"

// Server serves the API.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	limiter *limiter
}

// New returns a Server with every route registered.
func New(cfg Config) (*Server, error) {
	if cfg.Catalog == nil || cfg.Blobs == nil || cfg.Intake == nil || cfg.Copier == nil || cfg.Index == nil {
		return nil, fmt.Errorf("web: Config needs Catalog, Blobs, Intake, Copier and Index: %w", archive.ErrInvalid)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = 8 << 30
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), limiter: newLimiter(30, 10)}
	s.routes()
	return s, nil
}

// routes registers every route with the roles that may use it. Records are
// further limited to the caller's scope (see scopeOf).
func (s *Server) routes() {
	const (
		admin   = archive.RoleAdmin
		clerk   = archive.RoleClerk
		handler = archive.RoleHandler
		citizen = archive.RoleCitizen
		auditor = archive.RoleAuditor
	)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("POST /api/v1/verify", s.verify)
	s.mux.Handle("GET /verify/{code}", s.limit(s.verifyPage))
	s.mux.Handle("POST /verify/{code}", s.limit(s.verifyUpload))

	s.mux.Handle("POST /api/v1/batches", s.auth(s.createBatch, admin, clerk))
	s.mux.Handle("GET /api/v1/batches/{id}", s.auth(s.getBatch, admin, clerk))
	s.mux.Handle("GET /api/v1/records/{id}", s.auth(s.getRecord, admin, clerk, handler, citizen))
	s.mux.Handle("GET /api/v1/records/{id}/pdf", s.auth(s.getPDF, admin, clerk, handler, citizen))
	s.mux.Handle("PUT /api/v1/records/{id}/metadata", s.auth(s.putMetadata, admin, clerk))
	s.mux.Handle("POST /api/v1/records/{id}/copies", s.auth(s.createCopy, admin, handler))
	s.mux.Handle("GET /api/v1/records/{id}/copies", s.auth(s.listCopies, admin, handler, citizen))
	s.mux.Handle("GET /api/v1/copies/{code}/pdf", s.auth(s.getCopyPDF, admin, handler, citizen))
	s.mux.Handle("GET /api/v1/search", s.auth(s.search, admin, clerk, handler, citizen))
	s.mux.Handle("POST /api/v1/records/{id}/shares", s.auth(s.createShare, citizen))
	s.mux.Handle("DELETE /api/v1/shares/{id}", s.auth(s.revokeShare, citizen))
	s.mux.Handle("GET /api/v1/me/records", s.auth(s.myRecords, citizen))
	s.mux.Handle("GET /api/v1/me/shares", s.auth(s.myShares, citizen))
	s.mux.Handle("GET /api/v1/audit", s.auth(s.getAudit, admin, auditor))
	s.mux.Handle("POST /api/v1/reindex", s.auth(s.reindex, admin))
	if s.cfg.Metrics != nil {
		s.mux.Handle("GET /metrics", s.cfg.Metrics)
	}
	if s.cfg.QueueUI != nil {
		s.mux.Handle(QueueUIPrefix+"/", s.auth(s.cfg.QueueUI.ServeHTTP, admin))
	}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := s.cfg.Ready(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "error": err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
