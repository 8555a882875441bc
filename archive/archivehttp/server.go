// Package archivehttp is khoso's HTTP API: batch upload and progress, record
// lookup and download, search, and signature verification. Every route is in
// Routes; every error becomes a status through one table in errors.go.
package archivehttp

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/search"
)

// Config holds the Server's dependencies.
type Config struct {
	Catalog archive.Catalog   // required
	Blobs   archive.BlobStore // required
	Intake  *ingest.Intake    // required
	Index   *search.Index     // required
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
}

// QueueUIPrefix is where the job queue's web UI is mounted.
const QueueUIPrefix = "/riverui"

// Server serves the API.
type Server struct {
	cfg Config
	mux *http.ServeMux
}

// New returns a Server with every route registered.
func New(cfg Config) (*Server, error) {
	if cfg.Catalog == nil || cfg.Blobs == nil || cfg.Intake == nil || cfg.Index == nil {
		return nil, fmt.Errorf("archivehttp: Config needs Catalog, Blobs, Intake and Index: %w", archive.ErrInvalid)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = 8 << 30
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux()}
	s.routes()
	return s, nil
}

// routes registers every route.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("POST /api/v1/verify", s.verify)

	s.mux.Handle("POST /api/v1/batches", s.auth(s.createBatch, archive.RoleAdmin, archive.RoleClerk))
	s.mux.Handle("GET /api/v1/batches/{id}", s.auth(s.getBatch, archive.RoleAdmin, archive.RoleClerk))
	s.mux.Handle("GET /api/v1/records/{id}", s.auth(s.getRecord, archive.RoleAdmin, archive.RoleClerk, archive.RoleHandler))
	s.mux.Handle("GET /api/v1/records/{id}/pdf", s.auth(s.getPDF, archive.RoleAdmin, archive.RoleClerk, archive.RoleHandler))
	s.mux.Handle("GET /api/v1/search", s.auth(s.search, archive.RoleAdmin, archive.RoleClerk, archive.RoleHandler))
	if s.cfg.Metrics != nil {
		s.mux.Handle("GET /metrics", s.cfg.Metrics)
	}
	if s.cfg.QueueUI != nil {
		s.mux.Handle(QueueUIPrefix+"/", s.auth(s.cfg.QueueUI.ServeHTTP, archive.RoleAdmin))
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
