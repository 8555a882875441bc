package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// docsOf streams one document per record.
func docsOf(recs ...*archive.Record) DocsFunc {
	return func(yield func(Doc) error) error {
		for _, r := range recs {
			if err := yield(Doc{Record: r, Agency: "BTNMT"}); err != nil {
				return err
			}
		}
		return nil
	}
}

func openHandle(tb testing.TB, dir string) *Handle {
	tb.Helper()
	h, err := OpenHandle(HandleConfig{Dir: dir, BatchSize: 7})
	if err != nil {
		tb.Fatalf("OpenHandle(%s): %v", dir, err)
	}
	tb.Cleanup(func() { _ = h.Close() })
	return h
}

func handleIDs(tb testing.TB, h *Handle, q Query) []string {
	tb.Helper()
	res, err := h.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("Search(%+v): %v", q, err)
	}
	var ids []string
	for _, hit := range res.Hits {
		ids = append(ids, hit.ID)
	}
	return ids
}

// generations lists the index directories under dir.
func generations(tb testing.TB, dir string) []string {
	tb.Helper()
	m, err := filepath.Glob(filepath.Join(dir, genPrefix+"*"))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestRebuildWhileSearching searches without pause while Rebuild builds a
// new index and swaps it in: no search fails, writes made during the
// rebuild survive it, and the old index directory is removed.
func TestRebuildWhileSearching(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := openHandle(t, dir)
	if err := h.Put(named("old", "Trương Định")); err != nil {
		t.Fatal(err)
	}
	var recs []*archive.Record
	for i := range 300 {
		recs = append(recs, named(fmt.Sprintf("new-%03d", i), "Trương Định"))
	}

	stop := make(chan struct{})
	var searches atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := h.Search(context.Background(), Query{Scope: all, Text: "truong dinh"}); err != nil {
					t.Errorf("Search during rebuild: %v", err)
					return
				}
				searches.Add(1)
			}
		})
	}
	during := func(yield func(Doc) error) error {
		// A record written while the rebuild streams the catalog.
		if err := h.Put(named("during", "Trương Định")); err != nil {
			return err
		}
		return docsOf(recs...)(yield)
	}
	stats, err := h.Rebuild(context.Background(), during)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	if stats.Docs != 300 || stats.Bytes <= 0 {
		t.Errorf("stats = %+v, want 300 docs and a size", stats)
	}
	if searches.Load() == 0 {
		t.Error("no search ran during the rebuild")
	}
	ids := handleIDs(t, h, Query{Scope: Scope{Agencies: []string{"BTNMT"}, RecordIDs: []string{"during"}},
		Text: "truong dinh", Limit: MaxLimit})
	if len(ids) != 301 {
		t.Errorf("after rebuild: %d hits, want 300 rebuilt + 1 written during it", len(ids))
	}
	if n, err := h.Count(); err != nil || n != 301 {
		t.Errorf("Count = %d, %v; want 301", n, err)
	}
	if g := generations(t, dir); len(g) != 1 {
		t.Errorf("generations after swap = %q, want one", g)
	}
}

func TestHandleReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := openHandle(t, dir)
	if _, err := h.Rebuild(context.Background(), docsOf(named("a", "Mạc Đĩnh Chi"))); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Search(context.Background(), Query{Scope: all}); err == nil {
		t.Error("Search after Close succeeded")
	}
	if !h.Created() {
		t.Error("a handle on an empty directory does not say it created the index")
	}
	h = openHandle(t, dir)
	if ids := handleIDs(t, h, Query{Scope: all, Text: "mac dinh chi"}); len(ids) != 1 {
		t.Errorf("after reopen: %q, want a", ids)
	}
	if h.Created() {
		t.Error("a reopened index is said to be created")
	}
}

func TestRebuildFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := openHandle(t, dir)
	put := func(id string) { _ = h.Put(named(id, "Chu Văn An")) }
	put("kept")
	boom := errors.New("catalog went away")
	failing := func(yield func(Doc) error) error {
		if err := yield(Doc{Record: named("x", "Chu Văn An")}); err != nil {
			return err
		}
		return boom
	}
	if _, err := h.Rebuild(context.Background(), failing); !errors.Is(err, boom) {
		t.Errorf("Rebuild = %v, want %v", err, boom)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Rebuild(ctx, docsOf(named("y", "Chu Văn An"))); !errors.Is(err, context.Canceled) {
		t.Errorf("Rebuild with canceled ctx = %v, want context.Canceled", err)
	}
	if ids := handleIDs(t, h, Query{Scope: all, Text: "chu van an"}); len(ids) != 1 || ids[0] != "kept" {
		t.Errorf("after failed rebuilds: %q, want the old index's [kept]", ids)
	}
	if g := generations(t, dir); len(g) != 1 {
		t.Errorf("generations = %q, want the serving one only", g)
	}
}

func TestHandleStale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		make func(tb testing.TB, dir string)
	}{
		{"older mapping", func(tb testing.TB, dir string) {
			h := openHandle(tb, dir)
			h.mu.RLock()
			err := h.cur.idx.SetInternal(versionKey, []byte("1"))
			h.mu.RUnlock()
			if err != nil {
				tb.Fatal(err)
			}
			if err := h.Close(); err != nil {
				tb.Fatal(err)
			}
		}},
		{"single-directory layout", func(tb testing.TB, dir string) {
			mustClose(tb, mustOpen(tb, dir))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			tt.make(t, dir)
			h := openHandle(t, dir)
			if err := h.Stale(); !errors.Is(err, ErrStale) {
				t.Fatalf("Stale = %v, want ErrStale", err)
			}
			if _, err := h.Search(context.Background(), Query{Scope: all}); !errors.Is(err, ErrStale) {
				t.Errorf("Search on stale handle = %v, want ErrStale", err)
			}
			if err := h.Put(named("written", "Tô Hiến Thành")); err != nil {
				t.Errorf("Put on stale handle = %v, want nil", err)
			}
			if _, err := h.Rebuild(context.Background(), docsOf(named("a", "Tô Hiến Thành"))); err != nil {
				t.Fatalf("Rebuild: %v", err)
			}
			if err := h.Stale(); err != nil {
				t.Errorf("Stale after Rebuild = %v", err)
			}
			if ids := handleIDs(t, h, Query{Scope: all, Text: "to hien thanh"}); len(ids) != 2 {
				t.Errorf("after rebuild: %q, want a and written", ids)
			}
			if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("old layout's index_meta.json left behind: %v", err)
			}
		})
	}
}

func TestSwapElsewhere(t *testing.T) {
	t.Parallel()
	h := openHandle(t, t.TempDir())
	other := filepath.Join(t.TempDir(), "gen-1")
	if err := h.Swap(other); !errors.Is(err, archive.ErrInvalid) {
		t.Errorf("Swap(%s) = %v, want ErrInvalid", other, err)
	}
	dir := h.NewDir()
	if _, err := Build(context.Background(), BuildConfig{Dir: dir}, docsOf(named("b", "Lý Công Uẩn"))); err != nil {
		t.Fatal(err)
	}
	if err := h.Swap(dir); err != nil {
		t.Fatalf("Swap: %v", err)
	}
	if ids := handleIDs(t, h, Query{Scope: all, Text: "ly cong uan"}); len(ids) != 1 {
		t.Errorf("after Swap: %q, want b", ids)
	}
}

func TestBuildNotEmpty(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []BuildConfig{{}, {Dir: dir}} {
		if _, err := Build(context.Background(), cfg, docsOf()); !errors.Is(err, archive.ErrInvalid) {
			t.Errorf("Build(%+v) = %v, want ErrInvalid", cfg, err)
		}
	}
}
