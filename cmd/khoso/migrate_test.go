package main

import (
	"context"
	"testing"

	"github.com/khoso-vn/khoso/archive/archivetest"
)

// TestMigrateTwice: `khoso migrate` brings an empty PostgreSQL database up
// to date and is harmless the second time; the catalog and River's tables
// are then there.
func TestMigrateTwice(t *testing.T) {
	t.Parallel()
	url := archivetest.PostgresURL(t)
	b := &testBundle{data: t.TempDir(), env: map[string]string{"KHOSO_DATABASE_URL": url}}
	for i := range 2 {
		if code, out, errOut := b.khoso(t, "migrate"); code != 0 {
			t.Fatalf("migrate #%d exited %d: %s%s", i+1, code, out, errOut)
		}
	}
	s := &settings{DatabaseURL: url}
	st, err := openCatalog(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, table := range []string{"records", "pages", "batches", "users", "river_job", "river_queue"} {
		var n int
		if err := st.db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Errorf("table %s after migrate: %v", table, err)
		}
	}
}
