package web

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// TestAuditScreenChainStatus: the audit screen says whether the log's
// chain holds, as the server's verifier finds it, naming the first
// broken entry when it does not; it verifies at most once a minute, and
// says so when the server cannot verify.
func TestAuditScreenChainStatus(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	calls := 0
	rep := &archive.AuditReport{Entries: 12, Last: 12, Checkpoints: 2}
	clock := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	b := setup(t, func(c *Config) {
		c.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
		c.VerifyAudit = func(context.Context) (*archive.AuditReport, error) {
			mu.Lock()
			defer mu.Unlock()
			calls++
			r := *rep
			return &r, nil
		}
	})
	body := b.page(t, "admin", "/audit").Body.String()
	if !strings.Contains(body, `id="chain-state"`) || !strings.Contains(body, "Toàn vẹn") || !strings.Contains(body, "12 mục, 2 điểm kiểm tra") {
		t.Errorf("an intact chain is not said so:\n%s", body)
	}
	mu.Lock()
	rep.FirstBroken, rep.Problems = 7, []string{"entry 7: hash does not match"}
	mu.Unlock()
	if body := b.page(t, "admin", "/audit").Body.String(); !strings.Contains(body, "Toàn vẹn") {
		t.Error("the chain was verified again within the minute")
	}
	mu.Lock()
	clock = clock.Add(2 * time.Minute)
	mu.Unlock()
	body = b.page(t, "admin", "/audit?lang=en").Body.String()
	if !strings.Contains(body, "NOT intact") || !strings.Contains(body, "First broken entry: 7") || !strings.Contains(body, "entry 7: hash does not match") {
		t.Errorf("a broken chain is not shown:\n%s", body)
	}
	if calls != 2 {
		t.Errorf("the chain was verified %d times, want 2", calls)
	}

	failing := setup(t, func(c *Config) {
		c.VerifyAudit = func(context.Context) (*archive.AuditReport, error) { return nil, errors.New("catalog unreachable") }
	})
	if body := failing.page(t, "admin", "/audit?lang=en").Body.String(); !strings.Contains(body, "could not be verified: catalog unreachable") {
		t.Errorf("a failed verification is not shown:\n%s", body)
	}
	off := setup(t)
	if body := off.page(t, "admin", "/audit?lang=en").Body.String(); !strings.Contains(body, "not set up to verify") {
		t.Errorf("an unconfigured server does not say so:\n%s", body)
	}
}
