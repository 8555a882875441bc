package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// BenchmarkIngest100Pages sends 25 four-page documents (A4, 200 dpi,
// colour JPEG) to the embedded server and waits until all are signed,
// stored and indexed. Run with -benchtime=1x: each iteration is a whole
// batch on a fresh server.
func BenchmarkIngest100Pages(b *testing.B) {
	const docs, pages = 25, 4
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv := startServer(b, b.TempDir(), nil)
		dir := b.TempDir()
		var permits []permit
		for d := range docs {
			permits = append(permits, permit{file: fmt.Sprintf("gp-%02d", d), number: fmt.Sprintf("%d/GP-BTNMT", d+1),
				holder: "Võ Thị Sáu", holderID: fmt.Sprintf("0791900%05d", d), issued: "01/03/2019", pages: pages})
		}
		manifest := writeBatch(b, dir, permits)
		b.StartTimer()
		start := time.Now()
		code, out, errOut := srv.khoso(b, "ingest", dir, "--manifest", manifest, "--wait")
		elapsed := time.Since(start)
		b.StopTimer()
		if code != 0 || strings.Count(out, "\tavailable") != docs {
			b.Fatalf("ingest exited %d:\n%s%s", code, out, errOut)
		}
		b.ReportMetric(float64(docs*pages)/elapsed.Seconds(), "pages/s")
		b.ReportMetric(elapsed.Seconds(), "s/100pages")
		srv.stop()
	}
}
