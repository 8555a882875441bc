package search

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

type testBundle struct {
	dir string
	ix  *Index
}

// setup opens a fresh index in a temporary directory, closed at cleanup.
func setup(tb testing.TB) *testBundle {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "index")
	ix := mustOpen(tb, dir)
	tb.Cleanup(func() {
		if err := ix.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return &testBundle{dir: dir, ix: ix}
}

// mustOpen opens the index in dir; the caller closes it.
func mustOpen(tb testing.TB, dir string) *Index {
	tb.Helper()
	ix, err := Open(Config{Dir: dir})
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	return ix
}

func mustClose(tb testing.TB, ix *Index) {
	tb.Helper()
	if err := ix.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
}

func record(id string, m archive.Metadata) *archive.Record {
	return &archive.Record{ID: id, BatchID: "batch-1", Meta: m}
}

func named(id, holder string) *archive.Record {
	return record(id, archive.Metadata{HolderName: holder})
}

func put(tb testing.TB, ix *Index, recs ...*archive.Record) {
	tb.Helper()
	for _, r := range recs {
		if err := ix.Put(r); err != nil {
			tb.Fatalf("Put(%s): %v", r.ID, err)
		}
	}
}

func mustSearch(tb testing.TB, ix *Index, q Query) *Result {
	tb.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

// hitIDs returns the IDs of the hits of q, in result order.
func hitIDs(tb testing.TB, ix *Index, q Query) []string {
	tb.Helper()
	res := mustSearch(tb, ix, q)
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

// checkIDs fails unless q's hits are exactly want, in any order.
func checkIDs(tb testing.TB, ix *Index, q Query, want ...string) {
	tb.Helper()
	got := hitIDs(tb, ix, q)
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		tb.Errorf("Search(%+v) = %q, want %q", q, got, want)
	}
}

func checkCount(tb testing.TB, ix *Index, want uint64) {
	tb.Helper()
	n, err := ix.Count()
	if err != nil {
		tb.Fatalf("Count: %v", err)
	}
	if n != want {
		tb.Errorf("Count = %d, want %d", n, want)
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// all is the scope of an administrator: every record.
var all = Scope{All: true}
