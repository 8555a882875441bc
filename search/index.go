package search

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/khoso-vn/khoso/archive"
)

// Sentinel errors of Open.
var (
	// ErrStale means the index was built with another mapping version and
	// must be rebuilt with `khoso reindex`.
	ErrStale = errors.New("index is stale")
	// ErrLocked means another process holds the index.
	ErrLocked = errors.New("index is in use by another process")
)

// Config configures Open.
type Config struct {
	// Dir is the index directory; it is created when missing. Required.
	Dir string
	// LockTimeout is how long Open waits for another process to release the
	// index before failing with ErrLocked. Default 2s.
	LockTimeout time.Duration
	// MaxSearches is how many searches run at once; the others wait their
	// turn, first come first served. Default GOMAXPROCS when Open runs.
	MaxSearches int
}

const defaultLockTimeout = 2 * time.Second

// withDefaults validates c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	if c.Dir == "" {
		return c, fmt.Errorf("search: config: Dir is required: %w", archive.ErrInvalid)
	}
	if c.LockTimeout <= 0 {
		c.LockTimeout = defaultLockTimeout
	}
	if c.MaxSearches <= 0 {
		c.MaxSearches = runtime.GOMAXPROCS(0)
	}
	return c, nil
}

// Index is a full-text index of record metadata. It is safe for concurrent
// use by several goroutines.
type Index struct {
	dir      string
	idx      bleve.Index
	analyzer analysis.Analyzer
	// searching holds a token per running search (Config.MaxSearches).
	searching chan struct{}
}

// Open opens the index in cfg.Dir, or creates it there when the directory
// holds no index. When the existing index was built with another mapping
// version, Open returns an error wrapping ErrStale that tells the operator to
// run `khoso reindex`. When another process holds the index, Open fails with
// an error wrapping ErrLocked after cfg.LockTimeout.
func Open(cfg Config) (*Index, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	exists, err := indexExists(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("search: open %s: %w", cfg.Dir, err)
	}
	var idx bleve.Index
	if exists {
		idx, err = openExisting(cfg)
	} else {
		idx, err = create(cfg.Dir, nil)
	}
	if err != nil {
		return nil, err
	}
	a := idx.Mapping().AnalyzerNamed(viAnalyzer)
	if a == nil {
		_ = idx.Close()
		return nil, fmt.Errorf("search: open %s: analyzer %s missing: %w", cfg.Dir, viAnalyzer, ErrStale)
	}
	return &Index{dir: cfg.Dir, idx: idx, analyzer: a, searching: make(chan struct{}, cfg.MaxSearches)}, nil
}

// indexExists reports whether dir holds a bleve index.
func indexExists(dir string) (bool, error) {
	_, err := os.Stat(filepath.Join(dir, "index_meta.json"))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, os.ErrNotExist):
		return false, nil
	default:
		return false, err
	}
}

// create builds an empty index in dir, with bleve's kvconfig options, and
// records mappingVersion in it.
func create(dir string, options map[string]any) (bleve.Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search: create %s: mapping: %w", dir, err)
	}
	idx, err := bleve.NewUsing(dir, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, options)
	if err != nil {
		return nil, fmt.Errorf("search: create %s: %w", dir, err)
	}
	if err := idx.SetInternal(versionKey, []byte(mappingVersion)); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("search: create %s: record mapping version: %w", dir, err)
	}
	return idx, nil
}

// openExisting opens the index in cfg.Dir and checks its mapping version.
func openExisting(cfg Config) (bleve.Index, error) {
	idx, err := bleve.OpenUsing(cfg.Dir, map[string]any{"bolt_timeout": cfg.LockTimeout.String()})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("search: open %s: waited %s: %w", cfg.Dir, cfg.LockTimeout, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("search: open %s: %w", cfg.Dir, err)
	}
	if err := checkVersion(idx, cfg.Dir); err != nil {
		_ = idx.Close()
		return nil, err
	}
	return idx, nil
}

// checkVersion returns an error wrapping ErrStale unless idx records
// mappingVersion.
func checkVersion(idx bleve.Index, dir string) error {
	v, err := idx.GetInternal(versionKey)
	if err != nil {
		return fmt.Errorf("search: open %s: read mapping version: %w", dir, err)
	}
	if string(v) == mappingVersion {
		return nil
	}
	got := string(v)
	if got == "" {
		got = "none"
	}
	return fmt.Errorf("search: open %s: index mapping version %s, this khoso needs %s; "+
		"run `khoso reindex` to rebuild it (chỉ mục tìm kiếm đã cũ, hãy chạy `khoso reindex` để tạo lại): %w",
		dir, got, mappingVersion, ErrStale)
}

// Put indexes r's metadata under r.ID with no agency, replacing whatever was
// indexed under that ID before. It is PutDoc(Doc{Record: r}).
func (ix *Index) Put(r *archive.Record) error { return ix.PutDoc(Doc{Record: r}) }

// PutDoc indexes d under d.Record.ID, replacing whatever was indexed under
// that ID before. It returns an error wrapping archive.ErrInvalid when
// d.Record is nil or has no ID.
func (ix *Index) PutDoc(d Doc) error {
	if err := d.validate(); err != nil {
		return err
	}
	if err := ix.idx.Index(d.Record.ID, document(d)); err != nil {
		return fmt.Errorf("search: put %s: %w", d.Record.ID, err)
	}
	return nil
}

func (d Doc) validate() error {
	if d.Record == nil || d.Record.ID == "" {
		return fmt.Errorf("search: put: record without ID: %w", archive.ErrInvalid)
	}
	return nil
}

// Delete removes id from the index. Deleting an ID that is not indexed is
// not an error.
func (ix *Index) Delete(id string) error {
	if id == "" {
		return fmt.Errorf("search: delete: empty ID: %w", archive.ErrInvalid)
	}
	if err := ix.idx.Delete(id); err != nil {
		return fmt.Errorf("search: delete %s: %w", id, err)
	}
	return nil
}

// Count returns the number of indexed records.
func (ix *Index) Count() (uint64, error) {
	n, err := ix.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("search: count: %w", err)
	}
	return n, nil
}

// Close flushes and closes the index and releases its lock. The Index must
// not be used afterwards.
func (ix *Index) Close() error {
	if err := ix.idx.Close(); err != nil {
		return fmt.Errorf("search: close %s: %w", ix.dir, err)
	}
	return nil
}
