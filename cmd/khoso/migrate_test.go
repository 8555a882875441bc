package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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

// TestDataDirectory: operator commands refuse a directory that holds no
// khoso data instead of creating an empty one and reporting success; a
// data directory others can read is tightened, and what khoso creates in
// it is private whatever the umask.
func TestDataDirectory(t *testing.T) {
	t.Parallel()
	b := &testBundle{data: filepath.Join(t.TempDir(), "khoso-data"), env: map[string]string{}}
	for _, args := range [][]string{{"fsck"}, {"audit", "verify"}, {"user", "add", "--role", "clerk", "--name", "X", "--agency", "A"}} {
		code, out, errOut := b.khoso(t, args...)
		if code == 0 || !strings.Contains(errOut, "holds no khoso data") {
			t.Errorf("%v on a missing data directory exited %d: %s%s", args, code, out, errOut)
		}
		if _, err := os.Stat(b.data); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%v created the data directory", args)
		}
	}
	if err := os.Mkdir(b.data, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := b.khoso(t, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s%s", code, out, errOut)
	}
	err := filepath.WalkDir(b.data, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %v: others can read it", path, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := b.khoso(t, "fsck"); code != 0 {
		t.Errorf("fsck of a migrated data directory exited %d: %s%s", code, out, errOut)
	}
}
