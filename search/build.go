package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/khoso-vn/khoso/archive"
)

// DocsFunc streams the documents of a build, typically every available
// record of the catalog: it calls yield once per document, and when yield
// returns an error it stops and returns that error.
type DocsFunc func(yield func(Doc) error) error

// BuildConfig configures Build.
type BuildConfig struct {
	// Dir is where the new index goes. It must not exist yet, or be an
	// empty directory. Required.
	Dir string
	// BatchSize is how many documents go to the index in one batch.
	// Default 2000.
	BatchSize int
}

const defaultBatchSize = 2000

func (c BuildConfig) withDefaults() (BuildConfig, error) {
	if c.Dir == "" {
		return c, fmt.Errorf("search: build: config: Dir is required: %w", archive.ErrInvalid)
	}
	if c.BatchSize <= 0 {
		c.BatchSize = defaultBatchSize
	}
	return c, nil
}

// BuildStats describes a finished build.
type BuildStats struct {
	// Docs is how many documents were indexed.
	Docs int
	// Elapsed is the time from start until the index was closed, merged
	// and ready to open.
	Elapsed time.Duration
	// Bytes is the size of the index on disk.
	Bytes int64
}

// Build writes a new index of the documents docs streams into cfg.Dir, in
// batches, merges it for searching, and closes it: Open, or Handle.Swap,
// then serves it. It does not touch any other index, so the serving one
// keeps answering meanwhile. On failure it removes cfg.Dir and returns an
// error wrapping the cause (ctx's error when ctx ends first).
func Build(ctx context.Context, cfg BuildConfig, docs DocsFunc) (BuildStats, error) {
	start := time.Now()
	cfg, err := cfg.withDefaults()
	if err != nil {
		return BuildStats{}, err
	}
	if err := checkEmpty(cfg.Dir); err != nil {
		return BuildStats{}, err
	}
	n, err := build(ctx, cfg, docs)
	if err != nil {
		_ = os.RemoveAll(cfg.Dir)
		return BuildStats{}, err
	}
	size, err := dirSize(cfg.Dir)
	if err != nil {
		return BuildStats{}, fmt.Errorf("search: build %s: size: %w", cfg.Dir, err)
	}
	return BuildStats{Docs: n, Elapsed: time.Since(start), Bytes: size}, nil
}

// build indexes docs into a new index in cfg.Dir and closes it.
func build(ctx context.Context, cfg BuildConfig, docs DocsFunc) (n int, err error) {
	// unsafe_batch: a batch returns before it is on disk, so analysis,
	// segment building and persisting overlap. bleve v2.6.1 drops batches
	// not yet persisted at Close: finish waits for the last one.
	idx, err := create(cfg.Dir, map[string]any{"unsafe_batch": true})
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := idx.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("search: build %s: close: %w", cfg.Dir, cerr)
		}
	}()
	b := newBatcher(ctx, idx, cfg.BatchSize)
	err = docs(b.add)
	if werr := b.wait(); err == nil {
		err = werr
	}
	if err == nil {
		err = b.finish()
	}
	if err != nil {
		return b.n, fmt.Errorf("search: build %s: %w", cfg.Dir, err)
	}
	if err := forceMerge(ctx, idx); err != nil {
		return b.n, fmt.Errorf("search: build %s: merge: %w", cfg.Dir, err)
	}
	return b.n, nil
}

// batchWorkers is how many batches are turned into index segments at once:
// building a segment is single-threaded, and two keep two cores busy.
const batchWorkers = 2

// batcher gathers documents into bleve batches and hands full ones to
// batchWorkers goroutines.
type batcher struct {
	ctx   context.Context
	idx   bleve.Index
	size  int
	batch *bleve.Batch
	n     int

	full chan *bleve.Batch
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error // the first worker error
}

func newBatcher(ctx context.Context, idx bleve.Index, size int) *batcher {
	b := &batcher{ctx: ctx, idx: idx, size: size, batch: idx.NewBatch(), full: make(chan *bleve.Batch)}
	for range batchWorkers {
		b.wg.Go(b.work)
	}
	return b
}

// work indexes the batches it receives until full closes.
func (b *batcher) work() {
	for batch := range b.full {
		if b.failed() != nil {
			continue
		}
		if err := b.idx.Batch(batch); err != nil {
			b.mu.Lock()
			b.err = cmp.Or(b.err, fmt.Errorf("batch: %w", err))
			b.mu.Unlock()
		}
	}
}

func (b *batcher) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// add is the yield function handed to a DocsFunc.
func (b *batcher) add(d Doc) error {
	if err := d.validate(); err != nil {
		return err
	}
	if err := b.batch.Index(d.Record.ID, document(d)); err != nil {
		return fmt.Errorf("put %s: %w", d.Record.ID, err)
	}
	b.n++
	if b.batch.Size() < b.size {
		return nil
	}
	if err := cmp.Or(b.ctx.Err(), b.failed()); err != nil {
		return err
	}
	b.full <- b.batch
	b.batch = b.idx.NewBatch()
	return nil
}

// wait stops the workers once they have indexed every full batch, and
// returns the first error.
func (b *batcher) wait() error {
	close(b.full)
	b.wg.Wait()
	return cmp.Or(b.ctx.Err(), b.failed())
}

// finish sends the last batch and waits until it, and so every batch
// before it, is persisted. The batch always holds the mapping version, so it
// is never empty.
func (b *batcher) finish() error {
	persisted := make(chan error, 1)
	b.batch.SetInternal(versionKey, []byte(mappingVersion))
	b.batch.SetPersistedCallback(func(err error) { persisted <- err })
	if err := b.idx.Batch(b.batch); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	select {
	case err := <-persisted:
		if err != nil {
			return fmt.Errorf("persist: %w", err)
		}
		return nil
	case <-b.ctx.Done():
		return b.ctx.Err()
	}
}

// forceMerge merges idx's segments into one and waits: fewer segments make
// every search cheaper.
func forceMerge(ctx context.Context, idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	return s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions)
}

// checkEmpty fails unless dir is missing or an empty directory.
func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("search: build %s: %w", dir, err)
	case len(entries) > 0:
		return fmt.Errorf("search: build %s: directory is not empty: %w", dir, archive.ErrInvalid)
	}
	return nil
}

// dirSize is the total size of the regular files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}
