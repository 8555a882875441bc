package search

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// currentFile names, inside HandleConfig.Dir, the file holding the name of
// the serving generation: a subdirectory genPrefix + a number.
const (
	currentFile = "CURRENT"
	genPrefix   = "gen-"
)

// HandleConfig configures OpenHandle.
type HandleConfig struct {
	// Dir holds the serving index and its rebuilds, one subdirectory
	// each, and a CURRENT file naming the serving one. It is created when
	// missing. Required.
	Dir string
	// LockTimeout is Config.LockTimeout of every index opened. Default 2s.
	LockTimeout time.Duration
	// BatchSize is BuildConfig.BatchSize of rebuilds. Default 2000.
	BatchSize int
}

// Handle is the serving index of a process. Searches go on while Rebuild
// builds a new index beside it and swaps it in; the old index is closed
// once no search uses it, then deleted. It is safe for concurrent use.
type Handle struct {
	cfg HandleConfig

	mu  sync.RWMutex // held shared by every use of cur, exclusively to swap it
	cur *Index       // nil while stale or closed
	err error        // why cur is nil

	jmu     sync.Mutex // guards journal and logging
	journal []change   // writes a rebuild must replay
	logging bool       // a rebuild is running

	rebuilding sync.Mutex // one rebuild at a time

	created bool // OpenHandle found no index and started an empty one
}

// change is a write a rebuild must replay: a put, or a delete when doc has
// no Record.
type change struct {
	id  string
	doc Doc
}

// OpenHandle opens the serving index under cfg.Dir, creating an empty one
// when there is none. An index built with another mapping version, or kept
// in the layout of earlier versions (an index directly in cfg.Dir), does not
// fail OpenHandle: the Handle is then stale, Stale and Search return an
// error wrapping ErrStale that tells the operator to run `khoso reindex`,
// writes are kept for the next Rebuild only, and Rebuild repairs it. Other
// failures, such as ErrLocked, are returned.
func OpenHandle(cfg HandleConfig) (*Handle, error) {
	if cfg.Dir == "" {
		return nil, fmt.Errorf("search: open handle: config: Dir is required: %w", archive.ErrInvalid)
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("search: open handle %s: %w", cfg.Dir, err)
	}
	h := &Handle{cfg: cfg}
	name, err := h.readCurrent()
	if err != nil {
		return nil, err
	}
	if name == "" {
		return h, h.openFresh()
	}
	dir := filepath.Join(cfg.Dir, name)
	ix, err := Open(Config{Dir: dir, LockTimeout: cfg.LockTimeout})
	switch {
	case errors.Is(err, ErrStale):
		h.err = err
	case err != nil:
		return nil, err
	default:
		h.cur = ix
	}
	h.removeOthers(dir)
	return h, nil
}

// readCurrent returns the serving generation's name, or "" when there is
// none yet.
func (h *Handle) readCurrent() (string, error) {
	b, err := os.ReadFile(filepath.Join(h.cfg.Dir, currentFile))
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("search: open handle %s: %w", h.cfg.Dir, err)
	}
	return "", nil
}

// openFresh starts h on an empty generation, unless cfg.Dir holds an index
// of the single-directory layout, which makes h stale.
func (h *Handle) openFresh() error {
	legacy, err := indexExists(h.cfg.Dir)
	if err != nil {
		return fmt.Errorf("search: open handle %s: %w", h.cfg.Dir, err)
	}
	if legacy {
		h.err = fmt.Errorf("search: open %s: index of an older layout; "+
			"run `khoso reindex` to rebuild it (chỉ mục tìm kiếm đã cũ, hãy chạy `khoso reindex` để tạo lại): %w",
			h.cfg.Dir, ErrStale)
		return nil
	}
	dir := h.newDir()
	ix, err := Open(Config{Dir: dir, LockTimeout: h.cfg.LockTimeout})
	if err != nil {
		return err
	}
	h.cur, h.created = ix, true
	return h.writeCurrent(dir)
}

// Created reports whether OpenHandle found no index and started an empty
// one: on a new data directory, or one whose index was lost, which a
// Rebuild from the catalog restores.
func (h *Handle) Created() bool { return h.created }

// Stale returns nil when h serves an index, or why it cannot: an error
// wrapping ErrStale until a Rebuild, or one saying h is closed. A server
// logs it at start.
func (h *Handle) Stale() error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.err
}

// Search searches the serving index; see Index.Search. While h is stale it
// returns the error Stale returns.
func (h *Handle) Search(ctx context.Context, q Query) (*Result, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.cur == nil {
		return nil, h.err
	}
	return h.cur.Search(ctx, q)
}

// Count returns the number of records the serving index holds.
func (h *Handle) Count() (uint64, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.cur == nil {
		return 0, h.err
	}
	return h.cur.Count()
}

// Put is PutDoc(Doc{Record: r}).
func (h *Handle) Put(r *archive.Record) error { return h.PutDoc(Doc{Record: r}) }

// PutDoc indexes d in the serving index and in the one a running Rebuild
// builds. While h is stale it only keeps d for the next Rebuild.
func (h *Handle) PutDoc(d Doc) error {
	if err := d.validate(); err != nil {
		return err
	}
	return h.write(change{id: d.Record.ID, doc: d}, func(ix *Index) error { return ix.PutDoc(d) })
}

// Delete removes id from the serving index and from the one a running
// Rebuild builds.
func (h *Handle) Delete(id string) error {
	if id == "" {
		return fmt.Errorf("search: delete: empty ID: %w", archive.ErrInvalid)
	}
	return h.write(change{id: id}, func(ix *Index) error { return ix.Delete(id) })
}

// write applies c to the serving index with apply, and logs it while a
// rebuild runs or h is stale (then the next rebuild replays it).
func (h *Handle) write(c change, apply func(*Index) error) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	h.jmu.Lock()
	if h.logging || h.cur == nil {
		h.journal = append(h.journal, c)
	}
	h.jmu.Unlock()
	if h.cur == nil {
		if errors.Is(h.err, ErrStale) {
			return nil
		}
		return h.err
	}
	return apply(h.cur)
}

// Close closes the serving index. Searches fail afterwards.
func (h *Handle) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	ix := h.cur
	h.cur, h.err = nil, fmt.Errorf("search: handle %s is closed: %w", h.cfg.Dir, archive.ErrInvalid)
	if ix == nil {
		return nil
	}
	return ix.Close()
}
