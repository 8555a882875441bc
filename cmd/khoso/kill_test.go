package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/web"
)

// process is a khoso command running as its own process, so that it can be
// killed.
type process struct {
	cmd  *exec.Cmd
	url  string // where it answers /healthz
	logs *lockedBuffer
	done chan struct{} // closed when the process has exited
}

func buildKhoso(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "khoso")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startProcess runs `khoso serve` on data with env.
func startProcess(tb testing.TB, bin, data string, env map[string]string) *process {
	tb.Helper()
	addr := freeAddr(tb)
	return startKhoso(tb, bin, env, addr, "serve", "--addr", addr, "--data", data)
}

// startWorker runs `khoso worker` on data with env.
func startWorker(tb testing.TB, bin, data string, env map[string]string) *process {
	tb.Helper()
	addr := freeAddr(tb)
	return startKhoso(tb, bin, env, addr, "worker", "--addr", addr, "--data", data)
}

func freeAddr(tb testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startKhoso starts bin with args and waits until addr answers /healthz.
func startKhoso(tb testing.TB, bin string, env map[string]string, addr string, args ...string) *process {
	tb.Helper()
	p := &process{url: "http://" + addr, logs: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = os.Environ()
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	tb.Cleanup(func() { p.cmd.Process.Kill(); <-p.done })
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(p.url + "/healthz"); err == nil {
			resp.Body.Close()
			return p
		}
		select {
		case <-p.done:
			tb.Fatalf("khoso %s exited; log:\n%s", args[0], p.logs)
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("khoso %s did not answer; log:\n%s", args[0], p.logs)
		}
	}
}

func (p *process) kill(tb testing.TB) {
	tb.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		tb.Fatal(err)
	}
	<-p.done
}

// TestKilledServerLosesNothing kills the embedded server with SIGKILL while
// it works through a batch, twice, and restarts it: every document must end
// available exactly once, with a valid signed PDF.
func TestKilledServerLosesNothing(t *testing.T) {
	requireTool(t, "pdfsig", "poppler-utils")
	requireTool(t, "certutil", "libnss3-tools")
	t.Parallel()
	bin := buildKhoso(t)
	data := t.TempDir()
	proc := startProcess(t, bin, data, nil)
	b := &testBundle{data: data, url: proc.url}
	tok, _ := os.ReadFile(filepath.Join(data, "admin.token"))
	b.token = strings.TrimSpace(string(tok))

	const docs = 12
	var permits []permit
	for i := range docs {
		permits = append(permits, permit{file: fmt.Sprintf("gp-%02d", i), number: fmt.Sprintf("%d/GP-BTNMT", 500+i),
			holder: "Đỗ Thị Lan", holderID: fmt.Sprintf("0010900%05d", i), issued: "05/06/2020", pages: 3})
	}
	dir := t.TempDir()
	manifest := writeBatch(t, dir, permits)
	code, out, errOut := b.khoso(t, "ingest", dir, "--manifest", manifest)
	if !strings.HasPrefix(out, "batch ") {
		t.Fatalf("ingest exited %d: %s%s", code, out, errOut)
	}
	batchID := strings.Fields(out)[1]

	for kills := 0; kills < 2; {
		st := batchState(t, b.url, b.token, batchID)
		if st.Batch.Done() {
			break
		}
		if st.Batch.Counts["available"] > kills*docs/3 {
			proc.kill(t)
			t.Logf("killed the server with %v", st.Batch.Counts)
			proc = startProcess(t, bin, data, nil)
			b.url = proc.url
			kills++
		}
		time.Sleep(20 * time.Millisecond)
	}
	deadline := time.Now().Add(3 * time.Minute)
	var st *web.BatchResponse
	for st = batchState(t, b.url, b.token, batchID); !st.Batch.Done(); st = batchState(t, b.url, b.token, batchID) {
		if time.Now().After(deadline) {
			t.Fatalf("batch not done 3 minutes after the last restart: %v\n%s", st.Batch.Counts, proc.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if st.Batch.Total != docs || st.Batch.Counts["available"] != docs {
		t.Fatalf("after kills: %d documents %v, want %d available", st.Batch.Total, st.Batch.Counts, docs)
	}
	nss := nssWithCA(t, filepath.Join(data, "signing", "ca.pem"))
	results := map[string]bool{}
	for _, r := range st.Records {
		pdf := filepath.Join(t.TempDir(), r.ID+".pdf")
		if code, _, errOut := b.khoso(t, "get", r.ID, "-o", pdf); code != 0 {
			t.Fatalf("get %s: %s", r.ID, errOut)
		}
		checkPDF(t, pdf, nss, 3, resultSigs)
		sum, _ := fileSHA256(pdf)
		if results[sum] {
			t.Errorf("two records share the result %s", sum)
		}
		results[sum] = true
	}
	if code, out, errOut := b.khoso(t, "fsck"); code != 0 {
		t.Errorf("fsck after kills exited %d:\n%s%s", code, out, errOut)
	}
}

func batchState(tb testing.TB, url, token, id string) *web.BatchResponse {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+"/api/v1/batches/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var b web.BatchResponse
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
		tb.Fatal(err)
	}
	return &b
}
