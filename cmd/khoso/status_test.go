package main

import (
	"context"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/archive/archivetest"
	"github.com/khoso-vn/khoso/web"
)

// TestQueueStats: the status screen's count of River's jobs reads
// river_job on both databases.
func TestQueueStats(t *testing.T) {
	t.Parallel()
	for name, url := range map[string]func(t *testing.T) string{
		"SQLite":   func(t *testing.T) string { return "" },
		"Postgres": func(t *testing.T) string { return archivetest.PostgresURL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := &testBundle{data: t.TempDir(), env: map[string]string{"KHOSO_DATABASE_URL": url(t)}}
			if code, out, errOut := b.khoso(t, "migrate", "--data", b.data); code != 0 {
				t.Fatalf("migrate exited %d: %s%s", code, out, errOut)
			}
			st, err := openCatalog(context.Background(), &settings{Data: b.data, DatabaseURL: b.env["KHOSO_DATABASE_URL"]})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			for _, q := range []string{"sign", "sign", "default"} {
				_, err := st.db.Exec(`INSERT INTO river_job (args, kind, max_attempts, queue, state) VALUES ('{}', 'test', 1, '` + q + `', 'available')`)
				if err != nil {
					t.Fatal(err)
				}
			}
			got, err := queueStats(st.db)(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := map[web.QueueCount]bool{{Queue: "sign", State: "available", Count: 2}: true, {Queue: "default", State: "available", Count: 1}: true}
			if len(got) != 2 || !want[got[0]] || !want[got[1]] {
				t.Errorf("queueStats = %+v, want 2 available on sign and 1 on default", got)
			}
		})
	}
}

// TestStorageStatus: the blob store is named without credentials and the
// data directory's space is measured.
func TestStorageStatus(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	info, err := storageStatus(&settings{Data: data})(context.Background())
	if err != nil || !strings.Contains(info.Kind, data) || info.TotalBytes <= 0 || info.FreeBytes <= 0 || info.FreeBytes > info.TotalBytes {
		t.Errorf("storageStatus(local) = %+v, %v", info, err)
	}
	s := &settings{Data: data, BlobURL: "s3://khoso?endpoint=https://user:secret@s3.example:9000&region=hn",
		ReplicaURL: "file:///mnt/replica"}
	info, _ = storageStatus(s)(context.Background())
	if info.Kind != "S3 bucket khoso tại / at https://s3.example:9000 + bản sao / replica ổ đĩa cục bộ / local disk /mnt/replica" {
		t.Errorf("storage kind %q", info.Kind)
	}
	if strings.Contains(info.Kind, "secret") {
		t.Error("the storage kind shows a credential")
	}
}
