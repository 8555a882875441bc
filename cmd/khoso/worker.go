package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/khoso-vn/khoso/ingest"
)

// runWorker works the pipeline's jobs, all but indexing (the search index
// belongs to the serving process), until it is told to stop. Any number of
// workers on any machines share the work through PostgreSQL.
func runWorker(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("worker", env.Stderr)
	s := serverFlags(fs, env)
	addr := fs.String("addr", envOr(env, "KHOSO_WORKER_ADDR", "127.0.0.1:8081"), "địa chỉ của / address of /metrics, /healthz, /readyz (KHOSO_WORKER_ADDR)")
	if _, err := parse(fs, args, env); err != nil {
		return err
	}
	if err := s.fromEnv(env); err != nil {
		return err
	}
	if !s.isPostgres() {
		return fmt.Errorf("khoso worker cần PostgreSQL (KHOSO_DATABASE_URL=postgres://…); với SQLite, khoso serve tự chạy các bước / " +
			"khoso worker needs PostgreSQL (KHOSO_DATABASE_URL=postgres://…); on SQLite, khoso serve runs the pipeline itself")
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
	met := newMetrics(st.db)
	space := &spaceWatch{}
	jobs, err := newJobs(st, ingest.PipelineConfig{Catalog: st.catalog, Blobs: st.blobs, Signer: sg.Signer,
		Observe: met.observe, Space: space.observe, JobTimeout: s.JobTimeout, RenewMargin: s.RenewMargin, ClerkSigner: sg.clerk, AgencyName: s.AgencyName, AgencyCode: s.AgencyCode, Scan: s.Scan}, log, false)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: operatorMux(met, readiness(st, sg, space, s.Data)), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	if err := jobs.Start(ctx); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	log.Info("khoso worker started", "addr", "http://"+ln.Addr().String())
	<-ctx.Done()
	return shutdown(srv, jobs, log, nil)
}

// operatorMux serves a worker's /metrics, /healthz and /readyz.
func operatorMux(met *metrics, ready func(context.Context) error) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", met.handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	return mux
}

// newLogger writes JSON lines to stderr, for log collectors.
func newLogger(env Env) *slog.Logger {
	return slog.New(slog.NewJSONHandler(env.Stderr, nil))
}
