package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/web"
)

// TestDiskFull: the data directory is a small tmpfs that fills up while a
// batch is in the pipeline. /readyz says not ready, the batch shows its
// documents waiting with the reason, a new upload gets 507 with a message
// a clerk can act on; once the tmpfs is grown, the batch completes by
// itself, without a restart.
func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("TestDiskFull mounts a tmpfs: run the tests as root (make test does in CI)")
	}
	data := filepath.Join(t.TempDir(), "data")
	os.Mkdir(data, 0o700)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", data).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", data).Run() })
	b := startServer(t, data, map[string]string{"KHOSO_JOB_TIMEOUT": "20s"})

	var permits []permit
	for i := range 4 {
		permits = append(permits, permit{file: fmt.Sprintf("gp-%02d", i), number: fmt.Sprintf("%d/GP-BTNMT", 700+i),
			holder: "Trần Thị Bình", holderID: fmt.Sprintf("0790880000%02d", i), issued: "02/03/2021", pages: 2})
	}
	dir := t.TempDir()
	manifest := writeBatch(t, dir, permits)
	code, out, errOut := b.khoso(t, "ingest", dir, "--manifest", manifest)
	id := regexp.MustCompile(`lô/batch (\S+):`).FindStringSubmatch(errOut)
	if id == nil {
		t.Fatalf("ingest exited %d: %s%s", code, out, errOut)
	}
	fill(t, data)

	// While full: not ready, the documents wait with the reason, uploads
	// are refused with 507.
	deadline := time.Now().Add(60 * time.Second)
	var ready int
	for time.Now().Before(deadline) {
		if ready = status(t, b, "/readyz"); ready == http.StatusServiceUnavailable {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if ready != http.StatusServiceUnavailable {
		t.Errorf("/readyz on a full disk: %d, want 503", ready)
	}
	waiting := false
	for time.Now().Before(deadline) && !waiting {
		bt := batch(t, b, id[1])
		for _, r := range bt.Records {
			waiting = waiting || strings.Contains(r.Waiting, "out of storage space")
		}
		if bt.Batch.Done() {
			t.Fatalf("the batch completed on a full disk: %+v", bt)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !waiting {
		t.Errorf("no document of the batch shows that it waits for space")
	}
	code, out, errOut = b.khoso(t, "ingest", dir, "--manifest", manifest)
	if code == 0 || !strings.Contains(errOut, "HTTP 507") || !strings.Contains(errOut, "free space") {
		t.Errorf("upload on a full disk exited %d: %s%s; want a 507 that says to free space", code, out, errOut)
	}

	// Grown: the batch goes on by itself.
	if out, err := exec.Command("mount", "-o", "remount,size=512m", data).CombinedOutput(); err != nil {
		t.Fatalf("grow tmpfs: %v %s", err, out)
	}
	deadline = time.Now().Add(3 * time.Minute)
	for {
		bt := batch(t, b, id[1])
		if bt.Batch.Done() {
			if n := bt.Batch.Counts["available"]; n != len(permits) {
				t.Errorf("after space came back: %d of %d available: %+v", n, len(permits), bt.Records)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch did not complete within 3 minutes of space coming back: %+v\nlog:\n%s", bt, b.logs.String())
		}
		time.Sleep(500 * time.Millisecond)
	}
	if code := status(t, b, "/readyz"); code != http.StatusOK {
		t.Errorf("/readyz after space came back: %d", code)
	}
}

// fill writes a file that takes all but a few kB of dir's file system.
func fill(t *testing.T, dir string) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * st.Bsize
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for n := int64(0); n < free; n += int64(len(chunk)) {
		if _, err := f.Write(chunk); err != nil {
			return // full
		}
	}
}

func status(t *testing.T, b *testBundle, path string) int {
	resp, err := http.Get(b.url + path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func batch(t *testing.T, b *testBundle, id string) web.BatchResponse {
	req, _ := http.NewRequest(http.MethodGet, b.url+"/api/v1/batches/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out web.BatchResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("batch %s: %d %v", id, resp.StatusCode, err)
	}
	return out
}
