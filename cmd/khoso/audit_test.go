package main

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/archivetest"
)

// auditBundle is a data directory whose audit log the server's own auditor
// (newAuditor: agency key, built-in TSA, anchors in the blob store) kept,
// with the catalog open so a test can attack it as someone who can write
// the database but holds no agency key.
type auditBundle struct {
	*testBundle
	st      *storage
	auditor *archive.Auditor
	// anchorAt is the time of the newest checkpoint as messages show it.
	anchorAt string
}

// setupAudit logs n entries, every tenth from the third a download, one
// second apart from two hours on (the development certificates are made
// now), then checkpoints the tail as the timer or a stopping server does.
func setupAudit(t *testing.T, env map[string]string, n int) *auditBundle {
	t.Helper()
	ctx := context.Background()
	b := &auditBundle{testBundle: &testBundle{data: t.TempDir(), env: env}}
	e := Env{Getenv: func(k string) string { return env[k] }, Stdout: io.Discard, Stderr: io.Discard}
	fs := newFlagSet("test", io.Discard)
	s := serverFlags(fs, e)
	if _, err := parse(fs, []string{"--data", b.data}, e); err != nil {
		t.Fatal(err)
	}
	if err := s.fromEnv(e); err != nil {
		t.Fatal(err)
	}
	var err error
	if b.st, err = openStorage(ctx, s); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.st.Close() })
	sg, err := openSigner(s, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sg.Close() })
	b.auditor = newAuditor(b.st, sg)
	clock := time.Now().UTC().Truncate(time.Hour).Add(2 * time.Hour)
	b.auditor.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	for i := 1; i <= n; i++ {
		action := "view"
		if i%10 == 3 {
			action = "download"
		}
		ev := archive.AuditEvent{Actor: "u1", Role: archive.RoleHandler, Action: action, Object: fmt.Sprint("r", i), Outcome: "ok"}
		if err := b.auditor.Log(ctx, ev); err != nil {
			t.Fatalf("log entry %d: %v", i, err)
		}
	}
	if err := b.auditor.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if last, err := b.st.catalog.LastCheckpoint(ctx); err == nil {
		b.anchorAt = last.Time.In(time.FixedZone("+07", 7*3600)).Format("02/01/2006 15:04 -07:00")
	}
	return b
}

// exec runs SQL statements on the catalog.
func (b *auditBundle) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := b.st.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// verify runs `khoso audit verify` and returns its exit code and output.
func (b *auditBundle) verify(t *testing.T) (int, string) {
	t.Helper()
	code, out, errOut := b.khoso(t, "audit", "verify")
	return code, out + errOut
}

// TestAuditIntact: the server's auditor checkpoints every 100 entries and
// the tail, time-stamps and anchors each, and verify finds all in order.
func TestAuditIntact(t *testing.T) {
	t.Parallel()
	b := setupAudit(t, nil, 250)
	code, out := b.verify(t)
	if code != 0 || !strings.Contains(out, "250 mục/entries, 3 điểm kiểm tra/checkpoints: toàn vẹn / intact") ||
		!strings.Contains(out, "newest anchor: 250 mục/entries, "+b.anchorAt) {
		t.Fatalf("audit verify of an intact log exited %d:\n%s", code, out)
	}
	cps, err := b.st.catalog.AuditCheckpoints(context.Background())
	if err != nil || len(cps) != 3 {
		t.Fatalf("checkpoints: %+v, %v", cps, err)
	}
	for i, cp := range cps {
		if cp.Format != 2 || cp.Timestamp == nil || cp.Prev != []int64{0, 100, 200}[i] {
			t.Errorf("checkpoint %d: format %d, prev %d, time-stamp %d bytes", cp.Seq, cp.Format, cp.Prev, len(cp.Timestamp))
		}
	}
}

// TestAuditAttacks: someone who can write the catalog but holds no agency
// key cuts or rewrites the log; verify names what is missing, on SQLite and
// PostgreSQL.
func TestAuditAttacks(t *testing.T) {
	t.Parallel()
	anchor := `the anchor of {when} says 250 entries`
	attacks := []struct {
		name   string
		attack func(*testing.T, *auditBundle)
		want   []string // regular expressions, all of which the output must match
	}{
		{"RewrittenAndResigned", rewriteAndResign,
			[]string{`the log ends at entry 248 but ` + anchor, `checkpoint 100: not signed by the agency's certificate \(signer "CN=forger"\)`}},
		{"Truncated", func(t *testing.T, b *auditBundle) {
			b.exec(t, `DELETE FROM audit_checkpoints WHERE seq > 200`, `DELETE FROM audit_events WHERE seq > 200`)
		}, []string{`the log ends at entry 200 but ` + anchor + `: entries 201–250 are missing`,
			`checkpoint 250, which the anchor of {when} holds, is missing from the catalog`}},
		{"CheckpointDeleted", func(t *testing.T, b *auditBundle) {
			b.exec(t, `DELETE FROM audit_checkpoints WHERE seq = 100`)
		}, []string{`thiếu điểm kiểm tra tại mục 100 / the checkpoint at entry 100 is missing`}},
		{"EveryCheckpointDeleted", func(t *testing.T, b *auditBundle) {
			b.exec(t, `DELETE FROM audit_checkpoints`)
		}, []string{`the 2 checkpoints at entries 100–200 are missing`, `checkpoint 250, which the anchor`}},
		{"Emptied", func(t *testing.T, b *auditBundle) {
			b.exec(t, `DELETE FROM audit_checkpoints`, `DELETE FROM audit_events`)
		}, []string{`nhật ký trống nhưng mốc neo lúc {when} ghi 250 mục / the log is empty but ` + anchor}},
	}
	for _, db := range []string{"SQLite", "PostgreSQL"} {
		for _, tt := range attacks {
			t.Run(db+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				var env map[string]string
				if db == "PostgreSQL" {
					env = map[string]string{"KHOSO_DATABASE_URL": archivetest.PostgresURL(t)}
				}
				b := setupAudit(t, env, 250)
				tt.attack(t, b)
				code, out := b.verify(t)
				if code != 1 {
					t.Errorf("audit verify exited %d, want 1", code)
				}
				for _, w := range tt.want {
					w = strings.ReplaceAll(w, "{when}", regexp.QuoteMeta(b.anchorAt))
					if !regexp.MustCompile(w).MatchString(out) {
						t.Errorf("output lacks %q", w)
					}
				}
				if t.Failed() {
					t.Logf("output:\n%s", out)
				}
			})
		}
	}
}

// rewriteAndResign drops two downloads, renumbers and rechains what is
// left, and signs new checkpoints with a fresh self-signed key whose
// certificate it stores in each row.
func rewriteAndResign(t *testing.T, b *auditBundle) {
	ctx := context.Background()
	var kept []archive.AuditEvent
	err := b.st.catalog.AuditEvents(ctx, 0, func(e *archive.AuditEvent) error {
		if e.Action != "download" || (e.Seq != 13 && e.Seq != 23) {
			kept = append(kept, *e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b.exec(t, `DELETE FROM audit_checkpoints`, `DELETE FROM audit_events`)
	forger := &archive.Auditor{Catalog: b.st.catalog, Sign: selfSigned(t, "forger")}
	for _, e := range kept {
		if err := forger.Log(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := forger.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
}

// selfSigned returns a signing func of a fresh key with a self-signed
// certificate named cn.
func selfSigned(t *testing.T, cn string) func([]byte) ([]byte, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return func(digest []byte) ([]byte, []byte, error) {
		sig, err := key.Sign(rand.Reader, digest, crypto.SHA256)
		return sig, der, err
	}
}

// TestAuditorTimer: entries added since the last checkpoint are
// checkpointed and anchored on the next tick; a tick with nothing new
// signs nothing.
func TestAuditorTimer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAudit(t, nil, 0)
	ticks := make(chan time.Time)
	b.auditor.Ticks = ticks
	runCtx, stop := context.WithCancel(ctx)
	errs := make(chan error, 10)
	done := make(chan struct{})
	go func() { defer close(done); b.auditor.Run(runCtx, func(err error) { errs <- err }) }()
	for i := range 7 {
		if err := b.auditor.Log(ctx, archive.AuditEvent{Action: "view", Object: fmt.Sprint("r", i), Outcome: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	ticks <- time.Now()
	ticks <- time.Now() // the first tick is handled once this one is taken
	ticks <- time.Now() // nothing new: no checkpoint
	stop()
	<-done
	close(errs)
	for err := range errs {
		t.Errorf("Run reported %v", err)
	}
	cps, err := b.st.catalog.AuditCheckpoints(ctx)
	if err != nil || len(cps) != 1 || cps[0].Seq != 7 {
		t.Fatalf("checkpoints after the ticks: %+v, %v; want one at entry 7", cps, err)
	}
	anchors, err := b.st.blobs.(archive.Anchorer).NewestAnchors(ctx, 5)
	if err != nil || len(anchors) != 1 || anchors[0].Name != archive.AnchorName(7) {
		t.Fatalf("anchors: %+v, %v; want the checkpoint at entry 7", anchors, err)
	}
	if code, out := b.verify(t); code != 0 {
		t.Fatalf("audit verify exited %d:\n%s", code, out)
	}
}
