package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/khoso-vn/khoso/archive"
)

// spaceWatch remembers that storage was found full, until a write
// succeeds again: the pipeline tells it after each stage, the readiness
// probe after its own test write.
type spaceWatch struct {
	mu  sync.Mutex
	err error
}

// observe takes a stage's outcome: nil clears, a full-storage error sets.
func (w *spaceWatch) observe(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil || errors.Is(err, archive.ErrNoSpace) {
		w.err = err
	}
}

// fault returns the last full-storage error, or nil.
func (w *spaceWatch) fault() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// probe writes and removes 1 MiB in dir, so that a disk that filled up (or
// was freed) is seen even when nothing else writes.
func (w *spaceWatch) probe(ctx context.Context, dir string) error {
	f, err := os.CreateTemp(dir, ".space-probe-*")
	if err == nil {
		defer os.Remove(f.Name())
		buf := make([]byte, 1<<20)
		rand.Read(buf) // incompressible, for file systems that compress
		_, err = f.Write(buf)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	err = archive.NoSpace(err)
	if err != nil && !errors.Is(err, archive.ErrNoSpace) {
		return fmt.Errorf("data directory: %w", err)
	}
	w.observe(err)
	if err != nil {
		return fmt.Errorf("hết dung lượng / out of space: %w", err)
	}
	return w.fault()
}
