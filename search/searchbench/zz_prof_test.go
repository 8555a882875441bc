package searchbench

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/search"
)

func TestZZProf(t *testing.T) {
	dir := os.Getenv("ZZDIR")
	if dir == "" {
		t.Skip()
	}
	g := Generator{Seed: 1, N: 100000}
	if _, err := os.Stat(dir); err != nil {
		st, err := buildIndex(context.Background(), dir, g)
		t.Logf("build %+v %v", st, err)
	}
	m, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	t.Logf("zap files: %d", len(m))
	ix, err := search.Open(search.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	common, _ := Mix(g, 1400)
	do := khosoSearch(ix)
	for round := 0; round < 2; round++ {
		search.ZZNoID = false
		per := map[string]time.Duration{}
		for _, c := range common {
			st := time.Now()
			if _, err := do(context.Background(), c.Query); err != nil {
				t.Fatal(err)
			}
			per[c.Class] += time.Since(st)
		}
		t.Logf("round %d: %v", round, per)
	}
}
