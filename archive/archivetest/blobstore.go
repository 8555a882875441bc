// Package archivetest holds the conformance suites every archive backend
// runs (TestBlobStore, TestCatalog) and helpers for tests of packages built
// on archive.
package archivetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// BlobHarness tells TestBlobStore how to make and damage a store.
type BlobHarness struct {
	// New returns an empty store. Required.
	New func(t testing.TB) archive.BlobStore
	// Damage changes the stored bytes of ref behind the store's back, as a
	// failing disk or a careless operator would. Required.
	Damage func(t testing.TB, s archive.BlobStore, ref archive.Ref)
}

// TestBlobStore checks that a BlobStore keeps the contract of
// archive.BlobStore.
func TestBlobStore(t *testing.T, h BlobHarness) {
	t.Run("RoundTrip", func(t *testing.T) { t.Parallel(); testRoundTrip(t, h.New(t)) })
	t.Run("NotFound", func(t *testing.T) { t.Parallel(); testNotFound(t, h.New(t)) })
	t.Run("RefusesWrongContent", func(t *testing.T) { t.Parallel(); testWrongContent(t, h.New(t)) })
	t.Run("DetectsDamage", func(t *testing.T) { t.Parallel(); testDamage(t, h) })
	t.Run("Enumerate", func(t *testing.T) { t.Parallel(); testEnumerate(t, h.New(t)) })
	t.Run("ConcurrentPuts", func(t *testing.T) { t.Parallel(); testConcurrent(t, h.New(t)) })
}

func testRoundTrip(t *testing.T, s archive.BlobStore) {
	ctx := context.Background()
	data := bytes.Repeat([]byte("khoso "), 100_000) // bigger than any copy buffer
	ref := mustPut(t, s, data)
	got, err := archive.ReadAll(ctx, s, ref)
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("ReadAll returned %d bytes, want the %d put", len(got), len(data))
	}
	size, err := s.Stat(ctx, ref)
	if err != nil || size != int64(len(data)) {
		t.Fatalf("Stat = %d, %v; want %d, nil", size, err, len(data))
	}
	// A second put of the same bytes is harmless.
	if again := mustPut(t, s, data); again != ref {
		t.Fatalf("second put gave %s, want %s", again, ref)
	}
	if _, err := archive.PutBytes(ctx, s, nil); err != nil {
		t.Fatalf("put empty blob: %v", err)
	}
}

func testNotFound(t *testing.T, s archive.BlobStore) {
	ctx := context.Background()
	ref := archive.RefOf([]byte("never stored"))
	if _, _, err := s.Open(ctx, ref); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("Open of missing blob: %v, want ErrNotFound", err)
	}
	if _, err := s.Stat(ctx, ref); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("Stat of missing blob: %v, want ErrNotFound", err)
	}
}

func testWrongContent(t *testing.T, s archive.BlobStore) {
	ctx := context.Background()
	ref := archive.RefOf([]byte("what the clerk scanned"))
	_, err := archive.Put(ctx, s, ref, bytes.NewReader([]byte("something else")))
	if !errors.Is(err, archive.ErrCorrupt) {
		t.Fatalf("Put of mismatching bytes: %v, want ErrCorrupt", err)
	}
	if _, err := s.Stat(ctx, ref); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("after refused Put, Stat: %v, want ErrNotFound", err)
	}
	// Wrong bytes for a blob already stored are refused too, and the stored
	// blob stays intact.
	held := mustPut(t, s, []byte("already kept"))
	if _, err := archive.Put(ctx, s, held, bytes.NewReader([]byte("not what is kept"))); !errors.Is(err, archive.ErrCorrupt) {
		t.Fatalf("Put of mismatching bytes over a stored blob: %v, want ErrCorrupt", err)
	}
	if err := archive.Check(ctx, s, held); err != nil {
		t.Fatalf("stored blob after a refused Put: %v", err)
	}
	// A reader failing half-way stores nothing either.
	_, err = archive.Put(ctx, s, ref, io.MultiReader(bytes.NewReader([]byte("what")), failingReader{}))
	if err == nil {
		t.Fatal("Put from failing reader succeeded")
	}
	if _, err := s.Stat(ctx, ref); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("after failed Put, Stat: %v, want ErrNotFound", err)
	}
}

func testDamage(t *testing.T, h BlobHarness) {
	ctx := context.Background()
	s := h.New(t)
	ref := mustPut(t, s, []byte("a permit kept for decades"))
	if err := archive.Check(ctx, s, ref); err != nil {
		t.Fatalf("Check of intact blob: %v", err)
	}
	h.Damage(t, s, ref)
	if err := archive.Check(ctx, s, ref); !errors.Is(err, archive.ErrCorrupt) {
		t.Fatalf("Check of damaged blob: %v, want ErrCorrupt", err)
	}
	if _, err := archive.ReadAll(ctx, s, ref); !errors.Is(err, archive.ErrCorrupt) {
		t.Fatalf("ReadAll of damaged blob: %v, want ErrCorrupt", err)
	}
}

func testEnumerate(t *testing.T, s archive.BlobStore) {
	ctx := context.Background()
	want := map[archive.Ref]int64{}
	for i := range 20 {
		data := []byte(fmt.Sprintf("page %d", i))
		want[mustPut(t, s, data)] = int64(len(data))
	}
	var prev archive.Ref
	got := map[archive.Ref]int64{}
	err := s.Enumerate(ctx, func(ref archive.Ref, size int64) error {
		if ref <= prev {
			t.Errorf("Enumerate out of order: %s after %s", ref, prev)
		}
		prev, got[ref] = ref, size
		return nil
	})
	if err != nil {
		t.Fatalf("Enumerate: %v", err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Enumerate gave %v, want %v", got, want)
	}
	stop := errors.New("stop")
	n := 0
	err = s.Enumerate(ctx, func(archive.Ref, int64) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("Enumerate with stopping fn: err %v after %d calls, want stop after 1", err, n)
	}
}

func testConcurrent(t *testing.T, s archive.BlobStore) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Half the writers race on the same content.
			data := []byte(fmt.Sprintf("blob %d", i%32))
			if _, err := archive.PutBytes(ctx, s, data); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent put: %v", err)
	}
	n := 0
	s.Enumerate(ctx, func(archive.Ref, int64) error { n++; return nil })
	if n != 32 {
		t.Fatalf("after concurrent puts, %d blobs, want 32", n)
	}
	for i := range 32 {
		if err := archive.Check(ctx, s, archive.RefOf([]byte(fmt.Sprintf("blob %d", i)))); err != nil {
			t.Errorf("blob %d: %v", i, err)
		}
	}
}

func mustPut(t testing.TB, s archive.BlobStore, data []byte) archive.Ref {
	t.Helper()
	ref, err := archive.PutBytes(context.Background(), s, data)
	if err != nil {
		t.Fatalf("PutBytes: %v", err)
	}
	return ref
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
