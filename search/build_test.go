package search

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// TestBuildKeepsEveryBatch checks that no batch is lost, whatever the
// batch size: bleve drops unpersisted batches at Close.
func TestBuildKeepsEveryBatch(t *testing.T) {
	t.Parallel()
	var recs []*archive.Record
	for i := range 300 {
		recs = append(recs, named(fmt.Sprintf("new-%03d", i), "Trương Định"))
	}
	for _, bs := range []int{7, 100, 300, 2000} {
		dir := filepath.Join(t.TempDir(), "x")
		st, err := Build(context.Background(), BuildConfig{Dir: dir, BatchSize: bs}, docsOf(recs...))
		ix := mustOpen(t, dir)
		n, _ := ix.Count()
		if err != nil || n != 300 || st.Docs != 300 {
			t.Errorf("batch size %d: Build = %+v, %v; Count = %d; want 300", bs, st, err, n)
		}
		mustClose(t, ix)
	}
}
