package search

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

func TestReopenKeepsDocuments(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nested", "index")
	ix := mustOpen(t, dir)
	put(t, ix, named("a", "Nguyễn Văn Đức"), named("b", "Trần Thị Mai"), named("c", "Lý Thường Kiệt"))
	mustClose(t, ix)

	ix = mustOpen(t, dir)
	defer mustClose(t, ix)
	checkCount(t, ix, 3)
	checkIDs(t, ix, Query{Scope: all, Text: "nguyen van duc"}, "a")
	checkIDs(t, ix, Query{Scope: all, Text: "ly thuong kiet"}, "c")
}

func TestOpenEmptyDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() // exists, holds no index
	ix := mustOpen(t, dir)
	defer mustClose(t, ix)
	checkCount(t, ix, 0)
}

func TestPutReplaces(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix, named("a", "Đặng Thùy Trâm"), named("a", "Đặng Văn Ngữ"))
	checkCount(t, ix, 1)
	checkIDs(t, ix, Query{Scope: all, Text: "dang van ngu"}, "a")
	checkIDs(t, ix, Query{Scope: all, Text: "thuy tram"})
}

func TestDelete(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix, named("a", "Đặng Thùy Trâm"), named("b", "Đặng Thùy Trâm"))
	if err := ix.Delete("a"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := ix.Delete("missing"); err != nil {
		t.Errorf("Delete(missing) = %v, want nil", err)
	}
	checkCount(t, ix, 1)
	checkIDs(t, ix, Query{Scope: all, Text: "dang thuy tram"}, "b")
}

func TestStaleMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stale func(*Index) error
	}{
		{"older version", func(ix *Index) error { return ix.idx.SetInternal(versionKey, []byte("0")) }},
		{"no version", func(ix *Index) error { return ix.idx.DeleteInternal(versionKey) }},
		// Version 2 indexes have no code keys: the search box needs them.
		{"version 2", func(ix *Index) error { return ix.idx.SetInternal(versionKey, []byte("2")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			ix := mustOpen(t, dir)
			put(t, ix, named("a", "Nguyễn Văn Đức"))
			if err := tt.stale(ix); err != nil {
				t.Fatal(err)
			}
			mustClose(t, ix)

			ix, err := Open(Config{Dir: dir})
			if !errors.Is(err, ErrStale) {
				if ix != nil {
					mustClose(t, ix)
				}
				t.Fatalf("Open = %v, want ErrStale", err)
			}
			for _, want := range []string{"khoso reindex", "hãy chạy", "search: open"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
			// The failed Open released the index.
			if _, err := Open(Config{Dir: dir, LockTimeout: 50 * time.Millisecond}); errors.Is(err, ErrLocked) {
				t.Errorf("Open after ErrStale = %v: lock not released", err)
			}
		})
	}
}

func TestSecondOpenLocked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ix := mustOpen(t, dir)
	mustClose(t, ix) // the index exists now
	ix = mustOpen(t, dir)

	start := time.Now()
	second, err := Open(Config{Dir: dir, LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		if second != nil {
			mustClose(t, second)
		}
		t.Errorf("second Open = %v, want ErrLocked", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("second Open took %s", took)
	}
	mustClose(t, ix)
	mustClose(t, mustOpen(t, dir))
}

func TestInvalidInput(t *testing.T) {
	t.Parallel()
	if _, err := Open(Config{}); !errors.Is(err, archive.ErrInvalid) || !strings.Contains(err.Error(), "Dir") {
		t.Errorf("Open(Config{}) = %v, want ErrInvalid naming Dir", err)
	}
	ix := setup(t).ix
	for _, r := range []*archive.Record{nil, {Meta: archive.Metadata{HolderName: "x"}}} {
		if err := ix.Put(r); !errors.Is(err, archive.ErrInvalid) {
			t.Errorf("Put(%v) = %v, want ErrInvalid", r, err)
		}
	}
	if err := ix.Delete(""); !errors.Is(err, archive.ErrInvalid) {
		t.Errorf(`Delete("") = %v, want ErrInvalid`, err)
	}
}

func TestOpenNotADirectory(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ix, err := Open(Config{Dir: file}); err == nil {
		mustClose(t, ix)
		t.Error("Open on a regular file succeeded")
	}
}
