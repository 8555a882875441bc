package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"riverqueue.com/riverui"
	"riverqueue.com/riverui/uiendpoints"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/migrations"
)

// jobs is the River client of either database, reduced to what the
// commands need.
type jobs struct {
	Start         func(ctx context.Context) error
	Stop          func(ctx context.Context) error
	StopAndCancel func(ctx context.Context) error
	enqueue       ingest.EnqueueFunc
	ui            uiendpoints.Bundle // the River UI's view of this client
}

// newJobs builds the job client with every pipeline worker. Only the
// process owning the search index works the index queue.
func newJobs(st *storage, pc ingest.PipelineConfig, log *slog.Logger, ownsIndex bool) (*jobs, error) {
	pc.Logger = log.With("component", "ingest")
	queues := map[string]river.QueueConfig{
		ingest.QueueCPU:  {MaxWorkers: runtime.GOMAXPROCS(0)},
		ingest.QueueSign: {MaxWorkers: 1}, // a signing key (HSM) is a serial device
		ingest.QueueIO:   {MaxWorkers: 4},
	}
	var periodic []*river.PeriodicJob
	if ownsIndex {
		queues[ingest.QueueIndex] = river.QueueConfig{MaxWorkers: 1}
		periodic = append(periodic, ingest.RenewPeriodicJob(), ingest.RenewCopiesPeriodicJob())
	}
	if pc.JobTimeout <= 0 {
		pc.JobTimeout = ingest.DefaultJobTimeout
	}
	// A job still running this long after its time limit belonged to a
	// process that died: River returns it to the queue.
	cfg := &river.Config{Queues: queues, Logger: log.With("component", "river"),
		JobTimeout: pc.JobTimeout, RescueStuckJobsAfter: pc.JobTimeout + 15*time.Second, PeriodicJobs: periodic}
	if st.dialect == migrations.Postgres {
		return newJobsFor(riverpgxv5.New(st.pool), pgxTx, pc, cfg)
	}
	// SQLite has no LISTEN/NOTIFY: River polls. A short interval keeps a
	// five-stage pipeline from waiting seconds per document.
	cfg.FetchCooldown, cfg.FetchPollInterval = 20*time.Millisecond, 100*time.Millisecond
	return newJobsFor(riversqlite.New(st.db), sqliteTx, pc, cfg)
}

func newJobsFor[TTx any](driver riverdriver.Driver[TTx], txOf func(archive.CatalogTx) (TTx, error),
	pc ingest.PipelineConfig, cfg *river.Config) (*jobs, error) {
	var client *river.Client[TTx]
	// Workers are registered before the client exists; they enqueue
	// through it once it does.
	pc.Enqueue = func(ctx context.Context, tx archive.CatalogTx, args river.JobArgs) error {
		return ingest.NewEnqueueFunc(client, txOf)(ctx, tx, args)
	}
	cfg.Workers = river.NewWorkers()
	if err := ingest.AddWorkers(cfg.Workers, pc); err != nil {
		return nil, err
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("job client: %w", err)
	}
	return &jobs{Start: client.Start, Stop: client.Stop, StopAndCancel: client.StopAndCancel, enqueue: pc.Enqueue,
		ui: riverui.NewEndpoints(client, nil)}, nil
}

// stop lets running jobs finish, or after a deadline cancels them so River
// returns them to the queue.
func (j *jobs) stop(log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := j.Stop(ctx); err != nil {
		log.Warn("jobs did not finish in time; cancelling them", "err", err)
		hard, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		j.StopAndCancel(hard)
	}
}

func sqliteTx(tx archive.CatalogTx) (*sql.Tx, error) {
	if t, ok := tx.(*sqlstore.Tx); ok && t.SQLTx() != nil {
		return t.SQLTx(), nil
	}
	return nil, fmt.Errorf("catalog transaction %T is not on SQLite", tx)
}

func pgxTx(tx archive.CatalogTx) (pgx.Tx, error) {
	if t, ok := tx.(*sqlstore.Tx); ok && t.PgxTx() != nil {
		return t.PgxTx(), nil
	}
	return nil, fmt.Errorf("catalog transaction %T is not on PostgreSQL", tx)
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
