package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive/archivetest"
	"github.com/khoso-vn/khoso/archive/s3/s3test"
)

// TestKilledWorkersLoseNothing sends a 300-document batch to khoso on
// PostgreSQL + MinIO worked by the server and three `khoso worker`
// processes, and kills a random worker with SIGKILL at random moments,
// restarting it each time, until the batch is done. Every document must end
// available exactly once with a signed PDF pdfsig accepts.
func TestKilledWorkersLoseNothing(t *testing.T) {
	requireTool(t, "pdfsig", "poppler-utils")
	requireTool(t, "certutil", "libnss3-tools")
	t.Parallel()
	const docs, workers = 300, 3
	bin := buildKhoso(t)
	srv := s3test.StartMinIO(t)
	data := t.TempDir()
	env := map[string]string{
		"KHOSO_DATABASE_URL":  archivetest.PostgresURL(t),
		"KHOSO_BLOB_URL":      "s3://khoso-kill?endpoint=http://" + srv.Endpoint,
		"KHOSO_S3_ACCESS_KEY": srv.AccessKey,
		"KHOSO_S3_SECRET_KEY": srv.SecretKey,
		// A short stage limit, so jobs a killed worker held come back
		// within a minute (River rescues them after limit + 15 s).
		"KHOSO_JOB_TIMEOUT": "20s",
	}
	serve := startProcess(t, bin, data, env)
	tok, _ := os.ReadFile(filepath.Join(data, "admin.token"))
	b := &testBundle{data: data, url: serve.url, token: strings.TrimSpace(string(tok)), env: env}
	var procs [workers]*process
	for i := range procs {
		procs[i] = startWorker(t, bin, data, env)
	}

	dir := t.TempDir()
	var permits []permit
	for i := range docs {
		permits = append(permits, permit{file: fmt.Sprintf("gp-%03d", i), number: fmt.Sprintf("%d/GP-STNMT", 1000+i),
			holder: "Ngô Thị Thu", holderID: fmt.Sprintf("0011950%05d", i), issued: "12/12/2012", pages: 1})
	}
	manifest := writeBatch(t, dir, permits)
	start := time.Now()
	code, out, errOut := b.khoso(t, "ingest", dir, "--manifest", manifest)
	if !strings.HasPrefix(out, "batch ") {
		t.Fatalf("ingest exited %d: %s%s", code, out, errOut)
	}
	batchID := strings.Fields(out)[1]

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, seed))
	kills := 0
	deadline := time.Now().Add(10 * time.Minute)
	for st := batchState(t, b.url, b.token, batchID); !st.Batch.Done(); st = batchState(t, b.url, b.token, batchID) {
		if time.Now().After(deadline) {
			t.Fatalf("batch not done after 10 minutes (%d kills, seed %d): %v", kills, seed, st.Batch.Counts)
		}
		time.Sleep(time.Duration(200+rng.IntN(1300)) * time.Millisecond)
		if kills < 12 {
			i := rng.IntN(workers)
			procs[i].kill(t)
			procs[i] = startWorker(t, bin, data, env)
			kills++
		}
	}
	elapsed := time.Since(start)
	st := batchState(t, b.url, b.token, batchID)
	t.Logf("%d documents, %d workers, %d SIGKILLs (seed %d): done in %v, %.1f documents/s; %v",
		docs, workers, kills, seed, elapsed.Round(time.Second), float64(docs)/elapsed.Seconds(), st.Batch.Counts)
	if st.Batch.Total != docs || st.Batch.Counts["available"] != docs {
		t.Fatalf("after kills: %d documents %v, want %d available", st.Batch.Total, st.Batch.Counts, docs)
	}
	nss := nssWithCA(t, filepath.Join(data, "signing", "ca.pem"))
	results := map[string]string{}
	for _, r := range st.Records {
		pdf := filepath.Join(t.TempDir(), r.ID+".pdf")
		if code, _, errOut := b.khoso(t, "get", r.ID, "-o", pdf); code != 0 {
			t.Fatalf("get %s: %s", r.ID, errOut)
		}
		checkPDF(t, pdf, nss, 1, resultSigs)
		sum, _ := fileSHA256(pdf)
		if other, dup := results[sum]; dup {
			t.Errorf("records %s and %s share the result %s", other, r.ID, sum)
		}
		results[sum] = r.ID
	}
	if len(results) != docs {
		t.Errorf("%d distinct results, want %d", len(results), docs)
	}
}
