package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// endless is a body of n zero bytes made as it is read.
type endless struct{ n int64 }

func (z *endless) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.n)
	clear(p[:k])
	z.n -= k
	return int(k), nil
}

// TestVerifyFloodMemory: 20 anonymous 400 MB bodies sent at once to the
// public verification route of a real `khoso serve` are refused, and the
// server's peak resident memory stays under 300 MiB.
func TestVerifyFloodMemory(t *testing.T) {
	t.Parallel()
	bin := buildKhoso(t)
	p := startProcess(t, bin, t.TempDir(), nil)
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, p.url+"/api/v1/verify", io.NopCloser(&endless{n: 400 << 20}))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				codes[i] = -1 // the server stopped reading and closed the connection
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusRequestEntityTooLarge && c != http.StatusTooManyRequests && c != -1 {
			t.Errorf("body %d: %d, want 413 or 429", i, c)
		}
	}
	peak := peakRSS(t, p.cmd.Process.Pid)
	t.Logf("server peak RSS after 20 bodies of 400 MB: %d MiB", peak>>20)
	if peak > 300<<20 {
		t.Errorf("server peak RSS %d MiB, want under 300", peak>>20)
	}
}

// peakRSS reads the high-water mark of a process's resident memory.
func peakRSS(t *testing.T, pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}
