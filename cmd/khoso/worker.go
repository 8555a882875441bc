package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/migrations"
)

// runWorker works the pipeline's jobs, all but indexing (the search index
// belongs to the serving process), until it is told to stop. Any number of
// workers on any machines share the work through PostgreSQL.
func runWorker(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("worker", env.Stderr)
	s := serverFlags(fs, env)
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
	jobs, err := newJobs(st, ingest.PipelineConfig{Catalog: st.catalog, Blobs: st.blobs, Signer: sg.Signer}, log, false)
	if err != nil {
		return err
	}
	if err := jobs.Start(ctx); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	log.Info("khoso worker started", "database", migrations.Postgres)
	<-ctx.Done()
	jobs.stop(log)
	return nil
}

// newLogger writes JSON lines to stderr, for log collectors.
func newLogger(env Env) *slog.Logger {
	return slog.New(slog.NewJSONHandler(env.Stderr, nil))
}
