package archivetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// TestAnchorer checks that a BlobStore's archive.Anchorer keeps its
// contract: anchors read back newest first, are written once, and live
// apart from the blobs. newStore returns an empty store that implements
// archive.Anchorer.
func TestAnchorer(t *testing.T, newStore func(t testing.TB) archive.BlobStore) {
	anchorer := func(t *testing.T) (archive.BlobStore, archive.Anchorer) {
		s := newStore(t)
		a, ok := s.(archive.Anchorer)
		if !ok {
			t.Fatalf("%T does not implement archive.Anchorer", s)
		}
		return s, a
	}
	t.Run("Empty", func(t *testing.T) { t.Parallel(); _, a := anchorer(t); testAnchorsEmpty(t, a) })
	t.Run("NewestFirst", func(t *testing.T) { t.Parallel(); _, a := anchorer(t); testAnchorsNewest(t, a) })
	t.Run("WrittenOnce", func(t *testing.T) { t.Parallel(); _, a := anchorer(t); testAnchorsOnce(t, a) })
	t.Run("BadNames", func(t *testing.T) { t.Parallel(); _, a := anchorer(t); testAnchorNames(t, a) })
	t.Run("ApartFromBlobs", func(t *testing.T) { t.Parallel(); s, a := anchorer(t); testAnchorsApart(t, s, a) })
	t.Run("Concurrent", func(t *testing.T) { t.Parallel(); _, a := anchorer(t); testAnchorsConcurrent(t, a) })
}

// anchorName is the name of the i-th test anchor; names sort as numbers.
func anchorName(i int) string { return fmt.Sprintf("audit-%020d", i) }

func mustPutAnchor(t *testing.T, a archive.Anchorer, name, data string) {
	t.Helper()
	if err := a.PutAnchor(context.Background(), name, []byte(data)); err != nil {
		t.Fatalf("PutAnchor(%s): %v", name, err)
	}
}

// newest returns NewestAnchors(n) as "name=data" strings.
func newest(t *testing.T, a archive.Anchorer, n int) string {
	t.Helper()
	got, err := a.NewestAnchors(context.Background(), n)
	if err != nil {
		t.Fatalf("NewestAnchors(%d): %v", n, err)
	}
	if got == nil {
		t.Fatalf("NewestAnchors(%d) returned a nil slice", n)
	}
	var parts []string
	for _, an := range got {
		parts = append(parts, an.Name+"="+string(an.Data))
	}
	return strings.Join(parts, " ")
}

func testAnchorsEmpty(t *testing.T, a archive.Anchorer) {
	if got := newest(t, a, 3); got != "" {
		t.Fatalf("NewestAnchors of an empty store = %q, want none", got)
	}
}

func testAnchorsNewest(t *testing.T, a archive.Anchorer) {
	for _, i := range []int{100, 7, 250, 1000, 30} { // out of order
		mustPutAnchor(t, a, anchorName(i), fmt.Sprint("cp", i))
	}
	want := anchorName(1000) + "=cp1000 " + anchorName(250) + "=cp250"
	if got := newest(t, a, 2); got != want {
		t.Fatalf("NewestAnchors(2) = %q, want %q", got, want)
	}
	if got := newest(t, a, 1); got != anchorName(1000)+"=cp1000" {
		t.Fatalf("NewestAnchors(1) = %q", got)
	}
	if got := newest(t, a, 10); strings.Count(got, "=") != 5 || !strings.HasSuffix(got, anchorName(7)+"=cp7") {
		t.Fatalf("NewestAnchors(10) = %q, want all five, oldest last", got)
	}
	if got := newest(t, a, 0); got != "" {
		t.Fatalf("NewestAnchors(0) = %q, want none", got)
	}
}

func testAnchorsOnce(t *testing.T, a archive.Anchorer) {
	ctx := context.Background()
	mustPutAnchor(t, a, anchorName(1), "the first")
	mustPutAnchor(t, a, anchorName(1), "the first") // the same again: harmless
	err := a.PutAnchor(ctx, anchorName(1), []byte("a forgery"))
	if !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("PutAnchor over an anchor with other bytes: %v, want ErrConflict", err)
	}
	if got := newest(t, a, 5); got != anchorName(1)+"=the first" {
		t.Fatalf("after a refused overwrite, NewestAnchors = %q", got)
	}
}

func testAnchorNames(t *testing.T, a archive.Anchorer) {
	ctx := context.Background()
	for _, name := range []string{"", "../escape", "a/b", ".hidden", "UPPER", strings.Repeat("a", 129)} {
		if err := a.PutAnchor(ctx, name, []byte("x")); !errors.Is(err, archive.ErrInvalid) {
			t.Errorf("PutAnchor(%q): %v, want ErrInvalid", name, err)
		}
	}
	big := make([]byte, archive.MaxAnchorSize+1)
	if err := a.PutAnchor(ctx, "big", big); !errors.Is(err, archive.ErrInvalid) {
		t.Errorf("PutAnchor of %d bytes: %v, want ErrInvalid", len(big), err)
	}
	if got := newest(t, a, 5); got != "" {
		t.Fatalf("after refused puts, NewestAnchors = %q, want none", got)
	}
}

// testAnchorsApart: anchors are not blobs and blobs are not anchors.
func testAnchorsApart(t *testing.T, s archive.BlobStore, a archive.Anchorer) {
	ref := mustPut(t, s, []byte("a blob"))
	mustPutAnchor(t, a, anchorName(5), "an anchor")
	n := 0
	err := s.Enumerate(context.Background(), func(got archive.Ref, _ int64) error {
		if n++; got != ref {
			t.Errorf("Enumerate gave %s; anchors must not show up as blobs", got)
		}
		return nil
	})
	if err != nil || n != 1 {
		t.Fatalf("Enumerate: %d blobs, %v; want the one put", n, err)
	}
	if got := newest(t, a, 5); got != anchorName(5)+"=an anchor" {
		t.Fatalf("NewestAnchors = %q; blobs must not show up as anchors", got)
	}
}

func testAnchorsConcurrent(t *testing.T, a archive.Anchorer) {
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			if err := a.PutAnchor(context.Background(), anchorName(i%5), []byte(fmt.Sprint("cp", i%5))); err != nil {
				t.Errorf("PutAnchor(%d): %v", i%5, err)
			}
		})
	}
	wg.Wait()
	if got := newest(t, a, 10); strings.Count(got, "=") != 5 || !strings.HasPrefix(got, anchorName(4)+"=cp4") {
		t.Fatalf("after concurrent puts, NewestAnchors = %q", got)
	}
}
