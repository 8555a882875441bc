package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"riverqueue.com/riverui"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/copies"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/migrations"
	"github.com/khoso-vn/khoso/search"
	"github.com/khoso-vn/khoso/web"
)

func runServe(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("serve", env.Stderr)
	s := serverFlags(fs, env)
	addr := fs.String("addr", envOr(env, "KHOSO_ADDR", "127.0.0.1:8080"), "địa chỉ lắng nghe / listen address (KHOSO_ADDR)")
	if _, err := parse(fs, args, env); err != nil {
		return err
	}
	if err := s.fromEnv(env); err != nil {
		return err
	}
	ws, err := webFromEnv(env)
	if err != nil {
		return err
	}
	log := newLogger(env)

	st, err := openStorage(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	sg, err := openSigner(s, log)
	if err != nil {
		return err
	}
	defer sg.Close()
	idx, err := search.OpenHandle(search.HandleConfig{Dir: filepath.Join(s.Data, "index")})
	if err != nil {
		return err
	}
	defer idx.Close()
	stale := idx.Stale()
	publicURL := s.PublicURL // as configured: the admin screens' links follow the browser otherwise
	if s.PublicURL == "" {
		s.PublicURL = "http://" + *addr
	}
	if err := ensureAdminToken(ctx, st.catalog, s.Data, s.PublicURL, env); err != nil {
		return err
	}

	auditor := newAuditor(st, sg)
	met := newMetrics(st.db)
	space := &spaceWatch{}
	jobs, err := newJobs(st, ingest.PipelineConfig{Catalog: st.catalog, Blobs: st.blobs, Signer: sg.Signer, Index: idx,
		Observe: met.observe, Space: space.observe, JobTimeout: s.JobTimeout, RenewMargin: s.RenewMargin, ClerkSigner: sg.clerk, AgencyName: s.AgencyName, AgencyCode: s.AgencyCode, Scan: s.Scan}, log, true)
	if err != nil {
		return err
	}
	queueUI, err := riverui.NewHandler(&riverui.HandlerOpts{Endpoints: jobs.ui, Logger: log.With("component", "riverui"),
		Prefix: web.QueueUIPrefix})
	if err != nil {
		return fmt.Errorf("queue UI: %w", err)
	}
	intake, err := ingest.NewIntake(ingest.IntakeConfig{Catalog: st.catalog, Blobs: st.blobs, Enqueue: jobs.enqueue,
		SpoolDir: filepath.Join(s.Data, "spool")})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(s.Data, "spool"), 0o700); err != nil {
		return err
	}
	if n, err := intake.RemoveStaleUploads(time.Now()); err != nil {
		log.Warn("spool", "err", err)
	} else if n > 0 {
		log.Info("removed uploads a stopped process left unfinished", "count", n)
	}
	copier, err := copies.New(copies.Config{Catalog: st.catalog, Blobs: st.blobs, Signer: sg.Signer,
		AgencyName: s.AgencyName, PublicURL: s.PublicURL, Logger: log.With("component", "copies")})
	if err != nil {
		return err
	}
	webCfg := web.Config{Catalog: st.catalog, Blobs: st.blobs, Intake: intake, Copier: copier,
		Index: idx, Roots: sg.roots, Agency: s.AgencyCode, Logger: log, Ready: readiness(st, sg, space, s.Data), StorageFault: space.fault, Metrics: met.handler(), QueueUI: queueUI,
		Auditor: auditor, SpoolDir: filepath.Join(s.Data, "spool"), MakeViews: ingest.ViewsFunc(st.catalog, jobs.enqueue),
		QueueStats: queueStats(st.db), Storage: storageStatus(s), Dialect: string(st.dialect), Version: version(),
		PublicURL: publicURL, VerifyAudit: auditVerifier(s, st, log)}
	ws.apply(&webCfg)
	watchDamage(st.blobs, met, &webCfg)
	api, err := web.New(webCfg)
	if err != nil {
		return err
	}
	if stale == nil && idx.Created() && hasAvailable(ctx, st.catalog) {
		stale = errors.New("chỉ mục bị mất / the index is missing")
	}
	if stale != nil {
		// A new version's index layout, or a lost index: rebuild it from
		// the catalog, which holds everything it indexes.
		fmt.Fprintf(env.Stderr, "khoso: chỉ mục tìm kiếm phải dựng lại, đang dựng từ danh mục / the search index must be rebuilt; rebuilding it from the catalog (%v)\n", stale)
		go func() {
			st, err := api.RebuildIndex(ctx)
			if err != nil {
				log.Error("search index rebuild failed: run `khoso reindex`", "err", err)
				return
			}
			log.Info("search index rebuilt", "records", st.Docs, "seconds", st.Elapsed.Seconds())
		}()
	}
	if ws.MetricsAddr != "" {
		mln, err := net.Listen("tcp", ws.MetricsAddr)
		if err != nil {
			return fmt.Errorf("KHOSO_METRICS_ADDR: %w", err)
		}
		msrv := metricsServer(met.handler())
		go msrv.Serve(mln)
		defer msrv.Close()
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if st.dialect == migrations.SQLite {
		if err := requeueOrphans(ctx, st.db, log); err != nil {
			return err
		}
	}
	if err := jobs.Start(ctx); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	if err := queueUI.Start(ctx); err != nil {
		return fmt.Errorf("queue UI: %w", err)
	}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 30 * time.Second}
	auditCtx, stopAuditor := context.WithCancel(ctx)
	defer stopAuditor()
	waitAuditor := runAuditor(auditCtx, auditor, log)
	log.Info("khoso serving", "addr", "http://"+ln.Addr().String(), "data", s.Data)
	fmt.Fprintf(env.Stderr, "khoso: đang phục vụ; mở trình duyệt tại / serving; open in a browser: %s/ (dữ liệu / data: %s)\n",
		browserURL(ln.Addr()), s.Data)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	err = shutdown(srv, jobs, log, err)
	stopAuditor()
	waitAuditor()
	if cerr := auditor.Checkpoint(context.Background()); cerr != nil {
		log.Error("audit checkpoint at shutdown", "err", cerr)
	}
	return err
}

// shutdown stops taking requests, then lets running jobs finish (or, after
// a deadline, cancels them so River returns them to the queue).
func shutdown(srv *http.Server, jobs *jobs, log *slog.Logger, serveErr error) error {
	log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	herr := srv.Shutdown(ctx)
	jobs.stop(log)
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return herr
}

// readiness checks that the data directory takes writes, that the
// pipeline has not found storage full since, and that the catalog, the
// blob store and the signing key answer.
func readiness(st *storage, sg *signer, space *spaceWatch, data string) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := space.probe(ctx, data); err != nil {
			return err
		}
		if err := st.db.PingContext(ctx); err != nil {
			return fmt.Errorf("database: %w", err)
		}
		if _, err := st.blobs.Stat(ctx, archive.RefOf(nil)); err != nil && !errors.Is(err, archive.ErrNotFound) {
			return fmt.Errorf("blob store: %w", err)
		}
		if err := sg.probe(); err != nil {
			return fmt.Errorf("signing key: %w", err)
		}
		return nil
	}
}

// ensureAdminToken creates an admin user on first start and writes its
// token to DATA/admin.token (mode 0600). The admin also gets the login
// "admin", and a one-time link at publicURL to set its password is
// printed.
func ensureAdminToken(ctx context.Context, cat archive.Catalog, data, publicURL string, env Env) error {
	path := filepath.Join(data, "admin.token")
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	n := &web.NewUser{User: archive.User{Name: "admin", Role: archive.RoleAdmin}, Login: "admin", Token: true}
	if _, err := cat.Login(ctx, n.Login); err == nil {
		n.Login = "" // an admin made before has it
	}
	made, err := web.CreateUser(ctx, cat, n, time.Now())
	if err != nil {
		return err
	}
	token, link := made.Token, made.Link
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return fmt.Errorf("write admin token: %w", err)
	}
	fmt.Fprintf(env.Stderr, "khoso: mã quản trị đã ghi vào / admin token written to %s\n", path)
	if link != "" {
		printLink(env, publicURL, n.Login, link)
	}
	return nil
}

// browserURL is where a browser on this machine reaches a server
// listening on addr: a wildcard address (0.0.0.0, ::) is reached at the
// loopback.
func browserURL(addr net.Addr) string {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ap.Addr().IsUnspecified() {
		ap = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), ap.Port())
	}
	return "http://" + ap.String()
}

// hasAvailable reports whether the catalog holds an available record.
func hasAvailable(ctx context.Context, cat archive.CatalogReader) bool {
	found := errors.New("found")
	err := cat.Records(ctx, func(r *archive.Record) error {
		if r.Status == archive.StatusAvailable {
			return found
		}
		return nil
	})
	return errors.Is(err, found)
}
