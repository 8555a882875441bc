package ingest_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/localdisk"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/migrations"
)

// TestUploadKeepsOnlyWhatRowsName: of an upload's files, only those a
// received row names reach the blob store; a refused upload stores none,
// and no staged file outlives its upload.
func TestUploadKeepsOnlyWhatRowsName(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlstore.OpenSQLite(filepath.Join(dir, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		t.Fatal(err)
	}
	cat, _ := sqlstore.New(sqlstore.Config{DB: db, Dialect: sqlstore.SQLiteDialect})
	blobs, _ := localdisk.New(localdisk.Config{Dir: filepath.Join(dir, "blobs")})
	spool := filepath.Join(dir, "spool")
	os.Mkdir(spool, 0o700)
	in, err := ingest.NewIntake(ingest.IntakeConfig{Catalog: cat, Blobs: blobs, SpoolDir: spool,
		Enqueue: func(context.Context, archive.CatalogTx, river.JobArgs) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	send := func(manifest string, files map[string]string) {
		up, err := in.NewUpload()
		if err != nil {
			t.Fatal(err)
		}
		defer up.Close()
		input := ingest.BatchInput{Files: map[string]archive.Ref{}, Upload: up}
		for name, data := range files {
			ref, _, err := up.Add(ctx, strings.NewReader(data), "")
			if err != nil {
				t.Fatal(err)
			}
			input.Files[name] = ref
		}
		if input.Rows, err = ingest.ParseManifest(strings.NewReader(manifest)); err != nil {
			t.Fatal(err)
		}
		if _, err := in.Accept(ctx, input); err != nil {
			t.Fatal(err)
		}
	}
	head := "file,doc_name,number,issued_on,issuer,holder_name\n"
	send(head+"a.jpg,Giấy phép,1/GP,01/02/2021,UBND,An\n", map[string]string{"a.jpg": "page a", "stray.jpg": "never named"})
	// A row whose only fault is its metadata is received: its page is
	// kept for the clerk to complete it. A row naming a file not sent
	// fails, and keeps nothing of the batch.
	send(head+"b.jpg,Giấy phép,,01/02/2021,UBND,An\n", map[string]string{"b.jpg": "row without a number"})
	send(head+"c.jpg,Giấy phép,3/GP,01/02/2021,UBND,An\n", map[string]string{"d.jpg": "not the file named"})
	var stored []string
	blobs.Enumerate(ctx, func(ref archive.Ref, _ int64) error { stored = append(stored, ref.String()); return nil })
	want := []string{archive.RefOf([]byte("page a")).String(), archive.RefOf([]byte("row without a number")).String()}
	slices.Sort(stored)
	slices.Sort(want)
	if !slices.Equal(stored, want) {
		t.Errorf("blob store holds %v, want only %v (the files received rows name)", stored, want)
	}
	if left, _ := os.ReadDir(spool); len(left) != 0 {
		t.Errorf("spool keeps %d entries after the uploads", len(left))
	}

	// A process killed mid-upload leaves its staging folder; the next
	// start removes it.
	up, _ := in.NewUpload()
	up.Add(ctx, bytes.NewReader([]byte("half sent")), "")
	old := time.Now().Add(-time.Hour)
	entries, _ := os.ReadDir(spool)
	for _, e := range entries {
		os.Chtimes(filepath.Join(spool, e.Name()), old, old)
	}
	if n, err := in.RemoveStaleUploads(time.Now()); err != nil || n != 1 {
		t.Errorf("RemoveStaleUploads: %d, %v; want 1", n, err)
	}
}
