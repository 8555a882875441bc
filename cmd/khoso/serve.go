package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/archivehttp"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/search"
)

func runServe(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("serve", env.Stderr)
	s := serverFlags(fs, env)
	addr := fs.String("addr", envOr(env, "KHOSO_ADDR", "127.0.0.1:8080"), "listen address (KHOSO_ADDR)")
	if _, err := parse(fs, args, env); err != nil {
		return err
	}
	if err := s.fromEnv(env); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, nil))

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
	idx, err := search.Open(search.Config{Dir: filepath.Join(s.Data, "index")})
	if err != nil {
		return err
	}
	defer idx.Close()
	if err := ensureAdminToken(ctx, st.catalog, s.Data, env); err != nil {
		return err
	}

	client, err := newRiverClient(st, sg, idx, log, true)
	if err != nil {
		return err
	}
	intake, err := ingest.NewIntake(ingest.IntakeConfig{Catalog: st.catalog, Blobs: st.blobs, Queue: client,
		SpoolDir: filepath.Join(s.Data, "spool")})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(s.Data, "spool"), 0o750); err != nil {
		return err
	}
	api, err := archivehttp.New(archivehttp.Config{Catalog: st.catalog, Blobs: st.blobs, Intake: intake,
		Index: idx, Roots: sg.roots, Logger: log, Ready: readiness(st)})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if err := requeueOrphans(ctx, st.db, log); err != nil {
		return err
	}
	if err := client.Start(ctx); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 30 * time.Second}
	log.Info("khoso serving", "addr", "http://"+ln.Addr().String(), "data", s.Data)
	fmt.Fprintf(env.Stderr, "khoso: đang phục vụ tại / serving at http://%s (data: %s)\n", ln.Addr(), s.Data)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	return shutdown(srv, client, log, err)
}

// shutdown stops taking requests, then lets running jobs finish (or, after
// a deadline, cancels them so River returns them to the queue).
func shutdown(srv *http.Server, client *river.Client[*sql.Tx], log *slog.Logger, serveErr error) error {
	log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	herr := srv.Shutdown(ctx)
	if err := client.Stop(ctx); err != nil {
		log.Warn("jobs did not finish in time; cancelling them", "err", err)
		hard, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		client.StopAndCancel(hard)
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return herr
}

// newRiverClient builds the job client with every pipeline worker. Only the
// process owning the search index works its queue.
func newRiverClient(st *storage, sg *signer, idx *search.Index, log *slog.Logger, ownsIndex bool) (*river.Client[*sql.Tx], error) {
	workers := river.NewWorkers()
	cfg := ingest.PipelineConfig{Catalog: st.catalog, Blobs: st.blobs, Signer: sg.Signer}
	if idx != nil {
		cfg.Index = idx
	}
	if err := ingest.AddWorkers(workers, cfg); err != nil {
		return nil, err
	}
	queues := map[string]river.QueueConfig{
		ingest.QueueCPU:  {MaxWorkers: runtime.GOMAXPROCS(0)},
		ingest.QueueSign: {MaxWorkers: 1},
		ingest.QueueIO:   {MaxWorkers: 4},
	}
	if ownsIndex {
		queues[ingest.QueueIndex] = river.QueueConfig{MaxWorkers: 1}
	}
	client, err := river.NewClient(riversqlite.New(st.db), &river.Config{
		Queues:  queues,
		Workers: workers,
		Logger:  log.With("component", "river"),
		// SQLite has no LISTEN/NOTIFY: River polls. A short interval keeps
		// a five-stage pipeline from waiting seconds per document.
		FetchCooldown:     20 * time.Millisecond,
		FetchPollInterval: 100 * time.Millisecond,
	})
	if err != nil {
		return nil, fmt.Errorf("job client: %w", err)
	}
	return client, nil
}

// readiness checks the catalog and blob store answer.
func readiness(st *storage) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := st.db.PingContext(ctx); err != nil {
			return fmt.Errorf("database: %w", err)
		}
		if _, err := st.blobs.Stat(ctx, archive.RefOf(nil)); err != nil && !errors.Is(err, archive.ErrNotFound) {
			return fmt.Errorf("blob store: %w", err)
		}
		return nil
	}
}

// ensureAdminToken creates an admin user on first start and writes its
// token to DATA/admin.token (mode 0600).
func ensureAdminToken(ctx context.Context, cat archive.Catalog, data string, env Env) error {
	path := filepath.Join(data, "admin.token")
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	token := "khoso_" + base64.RawURLEncoding.EncodeToString(b)
	u := &archive.User{ID: archive.NewID("u", time.Now()), Name: "admin", Role: archive.RoleAdmin}
	if err := cat.Update(ctx, func(tx archive.CatalogTx) error {
		return tx.CreateUser(ctx, u, archivehttp.TokenHash(token))
	}); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return fmt.Errorf("write admin token: %w", err)
	}
	fmt.Fprintf(env.Stderr, "khoso: mã quản trị đã ghi vào / admin token written to %s\n", path)
	return nil
}

// requeueOrphans makes jobs left running by a killed process available
// again. Only in the embedded default, where this process holds the search
// index lock and so is the only one working the queue, is every running job
// an orphan; River's own rescuer would wait an hour before retrying them.
// The stages are idempotent, so a repeated attempt is harmless.
func requeueOrphans(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	res, err := db.ExecContext(ctx, `UPDATE river_job SET state = 'available' WHERE state = 'running'`)
	if err != nil {
		return fmt.Errorf("requeue interrupted jobs: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		log.Warn("requeued jobs interrupted by an earlier stop", "jobs", n)
	}
	return nil
}
