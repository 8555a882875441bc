package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// QueueCount is how many jobs of one queue are in one state.
type QueueCount struct {
	Queue string
	State string // River's job states: available, running, retryable, scheduled, completed, cancelled, discarded
	Count int
}

// StorageInfo describes the blob store on the status screen.
type StorageInfo struct {
	// Kind names the backend and where it keeps objects ("local disk
	// /srv/khoso/blobs", "S3 bucket khoso at https://s3.example").
	Kind string
	// FreeBytes and TotalBytes are the space of the volume holding the
	// data directory; 0 when unknown.
	FreeBytes, TotalBytes int64
}

// statusView is the administrator's status screen.
type statusView struct {
	Ready, ReadyReason string
	Queue              []QueueCount
	QueueError         string
	HasQueue, QueueUI  bool
	QueueUIPrefix      string
	Storage            StorageInfo
	StorageError       string
	StorageFault       string
	Records            []statusCount
	RecordsTotal       int
	Dialect, Version   string
}

// statusCount is the number of records in one status.
type statusCount struct {
	Status archive.Status
	Count  int
}

// statusOrder is the pipeline's order of states, then the two a clerk
// must act on.
var statusOrder = append(stages[:len(stages):len(stages)], archive.StatusFailed, archive.StatusNeedsMetadata)

// statusPage shows GET /admin/status: readiness with its reason, the job
// queue, storage, records by status and what this server runs.
func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	v := statusView{Ready: "ok", Dialect: s.cfg.Dialect, Version: s.cfg.Version, QueueUI: s.cfg.QueueUI != nil,
		QueueUIPrefix: QueueUIPrefix + "/", HasQueue: s.cfg.QueueStats != nil}
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(ctx); err != nil {
			v.Ready, v.ReadyReason = "down", err.Error()
		}
	}
	if s.cfg.QueueStats != nil {
		q, err := s.cfg.QueueStats(ctx)
		if err != nil {
			v.QueueError = err.Error()
		}
		slices.SortFunc(q, func(a, b QueueCount) int {
			return strings.Compare(a.Queue+"\x00"+a.State, b.Queue+"\x00"+b.State)
		})
		v.Queue = q
	}
	if s.cfg.Storage != nil {
		info, err := s.cfg.Storage(ctx)
		if err != nil {
			v.StorageError = err.Error()
		}
		v.Storage = info
	}
	if s.cfg.StorageFault != nil {
		if err := s.cfg.StorageFault(); err != nil {
			v.StorageFault = err.Error()
		}
	}
	counts, err := s.cfg.Catalog.StatusCounts(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, st := range statusOrder {
		v.Records = append(v.Records, statusCount{st, counts[st]})
		v.RecordsTotal += counts[st]
		delete(counts, st)
	}
	for st, n := range counts { // states added later still show
		v.Records = append(v.Records, statusCount{st, n})
		v.RecordsTotal += n
	}
	s.render(w, r, http.StatusOK, "admin_status.html", "admin.status.title", v)
}

// Free and Total print the space in GiB with one decimal.
func (i StorageInfo) Free() string  { return fmt.Sprintf("%.1f", float64(i.FreeBytes)/(1<<30)) }
func (i StorageInfo) Total() string { return fmt.Sprintf("%.1f", float64(i.TotalBytes)/(1<<30)) }
