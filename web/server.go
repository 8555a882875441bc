// Package web is khoso's HTTP face: the JSON API (batch upload and progress,
// record lookup and download, search, copies, shares, the audit log), the
// public verification pages, and sign-in: browser sessions for people with a
// login (login*.go, session.go; API tokens keep working), and the HTML
// application, whose administrator's screens (admin*.go) manage users, their
// API tokens, the agency registry and show the system's status. Every route
// is in routes; every error becomes a status through one table in errors.go. Handlers take the small interfaces
// below, so each can be tested alone with fakes.
package web

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/copies"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/search"
)

// Intake takes batches and metadata corrections (ingest.Intake).
type Intake interface {
	// NewUpload makes a staging area for the files of one upload.
	NewUpload() (*ingest.Upload, error)
	// Accept stores the staged files the batch's rows name, records the
	// batch and starts its pipeline; a manifest error wraps
	// ingest.ErrManifest.
	Accept(ctx context.Context, in ingest.BatchInput) (*archive.Batch, error)
	// UpdateMetadata completes the metadata of a record waiting for it, or
	// corrects an available record's with a reason; bad metadata is an
	// *ingest.RowError naming the field.
	UpdateMetadata(ctx context.Context, id string, ch ingest.MetadataChange) (*archive.Record, error)
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
	// Agency is the code of the server's own agency: a batch an admin sends
	// without naming an agency belongs to it, and records from before every
	// record had an agency (Record.Agency "") count as its. Default
	// DefaultAgency.
	Agency string
	// Logger receives one line per failed request; default slog.Default().
	Logger *slog.Logger
	// MaxUploadBytes bounds one batch upload; default 8 GiB.
	MaxUploadBytes int64
	// MaxVerifyBytes bounds a PDF sent to the public verification routes;
	// default 64 MiB.
	MaxVerifyBytes int64
	// Verifiers is how many PDFs are verified at once; default GOMAXPROCS.
	// The rest wait, their bodies spooled to disk, not held in memory.
	Verifiers int
	// SpoolDir is where request bodies are spooled; default os.TempDir().
	SpoolDir string
	// PublicRate limits each address on the public routes; default 30 a
	// minute, 10 at once.
	PublicRate Rate
	// CopyRate limits how many copies each user issues; default 30 a
	// minute, 20 at once.
	CopyRate Rate
	// MaxRefusals is how many wrong tokens an address may send in a minute
	// before they are answered 429; default 30.
	MaxRefusals int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; by default none is trusted and the peer is the client.
	TrustedProxies []netip.Prefix
	// Ready reports whether the process can serve (database, blobs,
	// signing key); nil means always ready. The public sees only ready or
	// not; admins and the log see the reason.
	Ready func(ctx context.Context) error
	// Metrics, when set, serves GET /metrics (Prometheus) to admins. Serve
	// it on a separate, private address for a scraper.
	Metrics http.Handler
	// QueueUI, when set, is the job queue's web UI, served to admins under
	// QueueUIPrefix.
	QueueUI http.Handler
	// QueueStats, when set, counts the job queue's jobs by queue and state
	// for the administrator's status screen.
	QueueStats func(ctx context.Context) ([]QueueCount, error)
	// Storage, when set, describes the blob store and its free space for
	// the status screen.
	Storage func(ctx context.Context) (StorageInfo, error)
	// Dialect names the catalog's database ("sqlite", "postgres") on the
	// status screen; default none shown.
	Dialect string
	// Version is the program's version on the status screen.
	Version string
	// PublicURL is where people reach this server (KHOSO_PUBLIC_URL), the
	// base of the one-time links the admin screens show; default the
	// scheme and host the admin's browser used.
	PublicURL string
	// Auditor, when set, receives every ingest, view, download, share,
	// revoke and refused request.
	Auditor *archive.Auditor
	// VerifyAudit, when set, verifies the audit log's hash chain,
	// checkpoints and newest anchor against the configured trust (as
	// `khoso audit verify` does); the audit screen shows its verdict,
	// verified at most once a minute.
	VerifyAudit func(ctx context.Context) (*archive.AuditReport, error)
	// StorageFault, when set, returns why storage was last found full (nil
	// when it is not): documents waiting in a batch show it.
	StorageFault func() error
	// Damaged, when set, is told of every stored object found missing or
	// damaged while it was served (for metrics).
	Damaged func(ref archive.Ref)
	// Now returns the time; default time.Now.
	Now func() time.Time
	// MakeViews, when set, asks for the thumbnails and previews of a
	// record whose pages were normalised before they were made
	// (ingest.ViewsFunc); it is called when such a page is asked for.
	// Unset, those pages show a placeholder until a backfill runs.
	MakeViews func(ctx context.Context, recordID string) error

	// Identity proves who signs in at POST /login; default the catalog's
	// login names and argon2id password hashes.
	Identity IdentityProvider
	// SessionIdle ends a browser session unused for this long; default 30
	// minutes. Every use extends it.
	SessionIdle time.Duration
	// SessionMax ends a browser session this long after sign-in, however
	// much it is used; default 12 hours.
	SessionMax time.Duration
	// LoginRate limits wrong passwords per login name, whether or not it
	// exists; default 1 a minute, 10 at once.
	LoginRate Rate
	// LoginAddrRate limits wrong passwords per client address; default 10
	// a minute, 30 at once.
	LoginAddrRate Rate
}

// DefaultAgency is Config.Agency when none is set.
const DefaultAgency = "KHOSO"

// QueueUIPrefix is where the job queue's web UI is mounted.
const QueueUIPrefix = "/riverui"

// Server serves the API.
type Server struct {
	cfg       Config
	mux       *routeMux // every route, listed by Routes
	handler   http.Handler
	public    *rates        // per address, public routes
	copies    *rates        // per user, copy issuing
	badTokens *failures     // wrong tokens per address
	forbidden *failures     // forbidden routes per user
	verifies  chan struct{} // verification slots
	signins   *signinLimits // wrong passwords per login and address
	chain     *auditChecker // the audit chain's last verification
}

// New returns a Server with every route registered.
func New(cfg Config) (*Server, error) {
	if cfg.Catalog == nil || cfg.Blobs == nil || cfg.Intake == nil || cfg.Copier == nil || cfg.Index == nil {
		return nil, fmt.Errorf("web: Config needs Catalog, Blobs, Intake, Copier and Index: %w", archive.ErrInvalid)
	}
	cfg.setDefaults()
	s := &Server{cfg: cfg, mux: newRouteMux(), public: newRates(cfg.PublicRate), copies: newRates(cfg.CopyRate),
		badTokens: newFailures(cfg.MaxRefusals), forbidden: newFailures(cfg.MaxRefusals), verifies: make(chan struct{}, cfg.Verifiers)}
	s.signins = newSigninLimits(s.cfg)
	s.chain = &auditChecker{verify: s.cfg.VerifyAudit, now: s.now}
	s.routes()
	s.handler = s.recoverPanics(secureHeaders(s.crossOrigin(s.mux)))
	return s, nil
}

func (cfg *Config) setDefaults() {
	if cfg.Agency == "" {
		cfg.Agency = DefaultAgency
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = 8 << 30
	}
	if cfg.MaxVerifyBytes == 0 {
		cfg.MaxVerifyBytes = 64 << 20
	}
	if cfg.Verifiers <= 0 {
		cfg.Verifiers = runtime.GOMAXPROCS(0)
	}
	if cfg.PublicRate == (Rate{}) {
		cfg.PublicRate = Rate{PerMinute: 30, Burst: 10}
	}
	if cfg.CopyRate == (Rate{}) {
		cfg.CopyRate = Rate{PerMinute: 30, Burst: 20}
	}
	if cfg.MaxRefusals == 0 {
		cfg.MaxRefusals = 30
	}
	cfg.setSessionDefaults()
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
	s.mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)
	s.loginRoutes()
	s.mux.Handle("POST /api/v1/verify", s.limit(s.verify))
	s.mux.Handle("GET /verify/{code}", s.publicPage(s.limit(s.verifyPage)))
	s.mux.Handle("POST /verify/{code}", s.publicPage(s.limit(s.verifyUpload)))
	s.mux.HandleFunc("GET /static/{hash}/{name}", s.serveStatic)
	s.mux.HandleFunc("GET /lang/{lang}", s.setLang)

	s.mux.Handle("GET /{$}", s.page(s.homePage, admin, clerk, handler, citizen, auditor))
	s.mux.Handle("GET /search", s.page(s.searchPage, admin, handler))
	s.mux.Handle("GET /records/{id}", s.page(s.recordPage, admin, clerk, handler, citizen))
	s.mux.Handle("GET /records/{id}/pages/{n}", s.page(s.pageScreen, admin, clerk, handler, citizen))
	s.mux.Handle("GET /records/{id}/edit", s.page(s.editPage, admin, clerk))
	s.mux.Handle("POST /records/{id}/metadata", s.page(s.metadataPage, admin, clerk))
	s.mux.Handle("GET /review", s.page(s.reviewPage, admin, clerk))
	s.mux.Handle("POST /records/{id}/copies", s.page(s.copyPage, admin, handler))
	s.mux.Handle("GET /me", s.page(s.mePage, citizen))
	s.mux.Handle("POST /me/shares", s.page(s.sharePage, citizen))
	s.mux.Handle("POST /me/shares/{id}/revoke", s.page(s.revokePage, citizen))
	s.mux.Handle("GET /me/access", s.page(s.accessPage, citizen))
	s.mux.Handle("GET /audit", s.page(s.auditPage, admin, auditor))
	s.mux.Handle("GET /batches", s.page(s.batchesPage, admin, clerk))
	s.mux.Handle("GET /batches/new", s.page(s.newBatchPage, admin, clerk))
	s.mux.Handle("GET /batches/template.xlsx", s.page(s.manifestTemplate, admin, clerk))
	s.mux.Handle("POST /batches", s.page(s.postBatchPage, admin, clerk))
	s.mux.Handle("GET /batches/new/one", s.page(s.oneDocPage, admin, clerk))
	s.mux.Handle("POST /batches/new/one", s.page(s.postOneDocPage, admin, clerk))
	s.mux.Handle("GET /batches/{id}", s.page(s.batchPage, admin, clerk))
	s.mux.Handle("GET /admin/users", s.page(s.usersPage, admin))
	s.mux.Handle("GET /admin/users/new", s.page(s.newUserPage, admin))
	s.mux.Handle("POST /admin/users", s.page(s.createUserPage, admin))
	s.mux.Handle("GET /admin/users/{id}", s.page(s.userPage, admin))
	s.mux.Handle("POST /admin/users/{id}", s.page(s.updateUserPage, admin))
	s.mux.Handle("POST /admin/users/{id}/disable", s.page(s.disableUserPage, admin))
	s.mux.Handle("POST /admin/users/{id}/enable", s.page(s.enableUserPage, admin))
	s.mux.Handle("POST /admin/users/{id}/tokens", s.page(s.createTokenPage, admin))
	s.mux.Handle("POST /admin/users/{id}/password-link", s.page(s.passwordLinkPage, admin))
	s.mux.Handle("POST /admin/tokens/{id}/revoke", s.page(s.revokeTokenPage, admin))
	s.mux.Handle("GET /admin/agencies", s.page(s.agenciesPage, admin))
	s.mux.Handle("POST /admin/agencies", s.page(s.putAgencyPage, admin))
	s.mux.Handle("GET /admin/status", s.page(s.statusPage, admin))

	s.mux.Handle("POST /api/v1/batches", s.auth(s.createBatch, admin, clerk))
	s.mux.Handle("GET /api/v1/batches/{id}", s.auth(s.getBatch, admin, clerk))
	s.mux.Handle("GET /api/v1/records/{id}", s.auth(s.getRecord, admin, clerk, handler, citizen))
	s.mux.Handle("GET /api/v1/records/{id}/pdf", s.auth(s.getPDF, admin, clerk, handler, citizen))
	s.mux.Handle("GET /api/v1/records/{id}/pages/{n}/thumb", s.auth(s.getThumb, admin, clerk, handler, citizen))
	s.mux.Handle("GET /api/v1/records/{id}/pages/{n}/preview", s.auth(s.getPreview, admin, clerk, handler, citizen))
	s.mux.Handle("PUT /api/v1/records/{id}/metadata", s.auth(s.putMetadata, admin, clerk))
	s.mux.Handle("GET /api/v1/records/{id}/corrections", s.auth(s.getCorrections, admin, clerk, handler, citizen))
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
		s.mux.Handle("GET /metrics", s.auth(s.cfg.Metrics.ServeHTTP, admin))
	}
	if s.cfg.QueueUI != nil {
		s.mux.Handle(QueueUIPrefix+"/", s.auth(s.cfg.QueueUI.ServeHTTP, admin))
	}
}

// ServeHTTP implements http.Handler: every request is answered with the
// security headers, refused when it is a cross-site state change, and
// recovered from a panic.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz tells the public only whether the process is ready; the reason
// goes to the log and, with an admin's token or session cookie, to the
// caller.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ready == nil {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	err := s.cfg.Ready(ctx)
	if err == nil {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
		return
	}
	s.cfg.Logger.Warn("not ready", "err", err)
	body := map[string]string{"status": "not ready"}
	if s.isAdmin(w, r) {
		body["error"] = err.Error()
	}
	writeJSON(w, http.StatusServiceUnavailable, body)
}

// isAdmin reports whether r carries an admin's token or, without a token,
// the cookie of an admin's live session (which it extends, as any use
// does).
func (s *Server) isAdmin(w http.ResponseWriter, r *http.Request) bool {
	var u *archive.User
	var err error
	if token := bearer(r); token != "" {
		u, err = s.cfg.Catalog.UserByToken(r.Context(), TokenHash(token))
	} else {
		u, err = s.sessionUser(w, r)
	}
	return err == nil && u.Role == archive.RoleAdmin && !u.Disabled()
}
