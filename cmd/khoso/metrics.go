package main

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/ingest/scan"
)

// metrics are what operators see at /metrics.
type metrics struct {
	reg       *prometheus.Registry
	documents *prometheus.CounterVec
	pages     *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	failures  *prometheus.CounterVec
	damaged   *prometheus.CounterVec
}

func newMetrics(db *sql.DB) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		documents: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "khoso_stage_documents_total",
			Help: "Documents that went through a pipeline stage, by outcome (ok, retry, failed)."}, []string{"stage", "outcome"}),
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "khoso_stage_pages_total",
			Help: "Pages of the documents a pipeline stage completed."}, []string{"stage"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "khoso_stage_duration_seconds",
			Help: "Time a pipeline stage took for one document.", Buckets: prometheus.ExponentialBuckets(0.005, 2, 14)},
			[]string{"stage"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "khoso_failures_total",
			Help: "Stage errors by reason (corrupt, unsupported, too_large, permanent, transient)."}, []string{"stage", "reason"}),
		damaged: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "khoso_damaged_objects_total",
			Help: "Stored objects found missing or damaged while served, by copy (primary, or served: none good)."},
			[]string{"copy"}),
	}
	m.reg.MustRegister(m.documents, m.pages, m.latency, m.failures, m.damaged,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		queueCollector{db: db, desc: prometheus.NewDesc("khoso_queue_jobs",
			"Jobs in the queue by queue and state.", []string{"queue", "state"}, nil)})
	return m
}

// observe is the pipeline's ingest.ObserveFunc.
func (m *metrics) observe(stage string, pages int, d time.Duration, err error) {
	m.latency.WithLabelValues(stage).Observe(d.Seconds())
	switch {
	case err == nil:
		m.documents.WithLabelValues(stage, "ok").Inc()
		m.pages.WithLabelValues(stage).Add(float64(pages))
	case ingest.IsPermanent(err):
		m.documents.WithLabelValues(stage, "failed").Inc()
		m.failures.WithLabelValues(stage, reasonOf(err)).Inc()
	default:
		m.documents.WithLabelValues(stage, "retry").Inc()
		m.failures.WithLabelValues(stage, "transient").Inc()
	}
}

var _ ingest.ObserveFunc = (*metrics)(nil).observe

func reasonOf(err error) string {
	switch {
	case errors.Is(err, scan.ErrCorrupt):
		return "corrupt"
	case errors.Is(err, scan.ErrUnsupported):
		return "unsupported"
	case errors.Is(err, scan.ErrTooLarge):
		return "too_large"
	default:
		return "permanent"
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// queueCollector counts River's unfinished jobs at each scrape.
type queueCollector struct {
	db   *sql.DB
	desc *prometheus.Desc
}

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rows, err := c.db.QueryContext(ctx, `SELECT queue, state, COUNT(*) FROM river_job
		WHERE state IN ('available', 'running', 'retryable', 'scheduled') GROUP BY queue, state`)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var queue, state string
		var n float64
		if err := rows.Scan(&queue, &state, &n); err != nil {
			ch <- prometheus.NewInvalidMetric(c.desc, err)
			return
		}
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, n, queue, state)
	}
}
