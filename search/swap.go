package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// Rebuild builds a new index of the documents docs streams, beside the
// serving one, and swaps it in: searches keep being answered by the old
// index until the new one is complete. Writes (PutDoc, Delete) made while
// it runs go to the old index and are replayed into the new one before the
// swap, so none is lost whatever the order in which docs reads the catalog.
// One Rebuild runs at a time; a second waits. On failure the serving index
// stays, and the error wraps the cause.
func (h *Handle) Rebuild(ctx context.Context, docs DocsFunc) (BuildStats, error) {
	h.rebuilding.Lock()
	defer h.rebuilding.Unlock()
	h.startLogging()
	defer h.stopLogging()
	dir := h.newDir()
	stats, err := Build(ctx, BuildConfig{Dir: dir, BatchSize: h.cfg.BatchSize}, docs)
	if err != nil {
		return stats, err
	}
	if err := h.swap(dir, true); err != nil {
		_ = os.RemoveAll(dir)
		return stats, err
	}
	return stats, nil
}

// Swap serves the index Build wrote in dir, a directory directly under
// HandleConfig.Dir, instead of the current one, which it closes and
// deletes. Writes made while that Build ran are not replayed: Rebuild does
// that. It returns an error wrapping archive.ErrInvalid when dir is
// elsewhere, or ErrStale when dir's index is stale.
func (h *Handle) Swap(dir string) error {
	h.rebuilding.Lock()
	defer h.rebuilding.Unlock()
	return h.swap(dir, false)
}

// NewDir returns a fresh directory name under HandleConfig.Dir, for a Build
// to be handed to Swap.
func (h *Handle) NewDir() string { return h.newDir() }

func (h *Handle) swap(dir string, replay bool) error {
	if filepath.Clean(filepath.Dir(dir)) != filepath.Clean(h.cfg.Dir) {
		return fmt.Errorf("search: swap %s: not directly under %s: %w", dir, h.cfg.Dir, archive.ErrInvalid)
	}
	next, err := Open(Config{Dir: dir, LockTimeout: h.cfg.LockTimeout})
	if err != nil {
		return err
	}
	old, err := h.install(next, dir, replay)
	if err != nil {
		_ = next.Close()
		return err
	}
	if old != nil {
		_ = old.Close()
	}
	h.removeOthers(dir)
	return nil
}

// install makes next the serving index, once no search uses the old one,
// and returns the old one.
func (h *Handle) install(next *Index, dir string, replay bool) (*Index, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if replay {
		if err := h.replay(next); err != nil {
			return nil, err
		}
	}
	if err := h.writeCurrent(dir); err != nil {
		return nil, err
	}
	old := h.cur
	h.cur, h.err = next, nil
	return old, nil
}

// replay applies the journal to ix and empties it. The caller holds h.mu,
// so no write is under way.
func (h *Handle) replay(ix *Index) error {
	h.jmu.Lock()
	defer h.jmu.Unlock()
	for _, c := range h.journal {
		var err error
		if c.doc.Record == nil {
			err = ix.Delete(c.id)
		} else {
			err = ix.PutDoc(c.doc)
		}
		if err != nil {
			return fmt.Errorf("search: rebuild: replay: %w", err)
		}
	}
	h.journal = nil
	return nil
}

// startLogging has writes logged for replay. A stale handle's journal is
// already logging, and kept: its writes reached no index yet.
func (h *Handle) startLogging() {
	h.jmu.Lock()
	defer h.jmu.Unlock()
	h.logging = true
}

// stopLogging ends a rebuild's logging. After a failed rebuild a stale
// handle keeps its journal for the next one.
func (h *Handle) stopLogging() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	h.jmu.Lock()
	defer h.jmu.Unlock()
	h.logging = false
	if h.cur != nil {
		h.journal = nil
	}
}

// newDir returns an unused generation directory under cfg.Dir.
func (h *Handle) newDir() string {
	n := time.Now().UnixNano()
	for {
		dir := filepath.Join(h.cfg.Dir, genPrefix+strconv.FormatInt(n, 10))
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			return dir
		}
		n++
	}
}

// writeCurrent records dir as the serving generation: a crash leaves either
// the old name or the new one in CURRENT, never a mix.
func (h *Handle) writeCurrent(dir string) error {
	tmp := filepath.Join(h.cfg.Dir, currentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(filepath.Base(dir)+"\n"), 0o600); err != nil {
		return fmt.Errorf("search: swap: write %s: %w", currentFile, err)
	}
	if err := os.Rename(tmp, filepath.Join(h.cfg.Dir, currentFile)); err != nil {
		return fmt.Errorf("search: swap: write %s: %w", currentFile, err)
	}
	return nil
}

// removeOthers deletes everything in cfg.Dir but CURRENT and keep: old
// generations, builds a crash left behind, and an index of the
// single-directory layout. Callers hold h.rebuilding or run before h is
// shared, so no build is under way in a directory this removes.
func (h *Handle) removeOthers(keep string) {
	entries, err := os.ReadDir(h.cfg.Dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if name == currentFile || name == filepath.Base(keep) {
			continue
		}
		if e.IsDir() && !strings.HasPrefix(name, genPrefix) && name != "store" {
			continue // not ours; "store" is bleve's, in the old layout
		}
		_ = os.RemoveAll(filepath.Join(h.cfg.Dir, name))
	}
}
