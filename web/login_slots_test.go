package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// countingIdentity counts the passwords its provider checks.
type countingIdentity struct {
	IdentityProvider
	mu sync.Mutex
	n  int
}

func (c *countingIdentity) Authenticate(ctx context.Context, cr Credentials) (*archive.User, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.IdentityProvider.Authenticate(ctx, cr)
}

func (c *countingIdentity) count() int { c.mu.Lock(); defer c.mu.Unlock(); return c.n }

// TestSigninWaitsForHashSlot: with every password-hashing slot taken a
// sign-in waits; one whose client goes away returns without hashing and
// is not counted as a wrong password; a freed slot lets the next in.
func TestSigninWaitsForHashSlot(t *testing.T) {
	t.Parallel()
	var id *countingIdentity
	b := setup(t, func(c *Config) {
		id = &countingIdentity{IdentityProvider: passwordProvider{cat: c.Catalog}}
		c.Identity = id
		c.LoginRate = Rate{PerMinute: 1, Burst: 1}
	})
	b.setLogin(t, "citizen", "duc", "mật khẩu dài lắm")
	slots := b.srv.signins.slots
	for range cap(slots) {
		slots <- struct{}{}
	}
	start := func(ctx context.Context, pw string) <-chan *httptest.ResponseRecorder {
		done := make(chan *httptest.ResponseRecorder, 1)
		go func() {
			w := httptest.NewRecorder()
			b.srv.ServeHTTP(w, loginForm("duc", pw, "192.0.2.1").WithContext(ctx))
			done <- w
		}()
		return done
	}
	waiting := func(done <-chan *httptest.ResponseRecorder, what string) {
		t.Helper()
		select {
		case w := <-done:
			t.Fatalf("%s with every slot taken answered %d at once, want it to wait", what, w.Code)
		case <-time.After(200 * time.Millisecond):
		}
	}
	finished := func(done <-chan *httptest.ResponseRecorder, what string) *httptest.ResponseRecorder {
		t.Helper()
		select {
		case w := <-done:
			return w
		case <-time.After(10 * time.Second):
			t.Fatalf("%s did not return", what)
			return nil
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	gone := start(ctx, "sai mật khẩu rồi")
	waiting(gone, "a sign-in")
	cancel()
	finished(gone, "a cancelled sign-in")
	if n := id.count(); n != 0 {
		t.Errorf("%d passwords checked for a sign-in cancelled while it waited, want 0", n)
	}

	ok := start(context.Background(), "mật khẩu dài lắm")
	waiting(ok, "a second sign-in")
	<-slots
	if w := finished(ok, "a sign-in given a slot"); w.Code != http.StatusSeeOther {
		t.Errorf("sign-in given a slot: %d %s, want 303", w.Code, w.Body)
	}
	for len(slots) > 0 {
		<-slots
	}
	// The cancelled sign-in spent nothing: the one wrong password the
	// burst allows is still there.
	if w := b.do(t, "", loginForm("duc", "sai mật khẩu rồi", "192.0.2.1")); w.Code != http.StatusUnauthorized {
		t.Errorf("first wrong password after a cancelled sign-in: %d, want 401", w.Code)
	}
	if w := b.do(t, "", loginForm("duc", "sai mật khẩu rồi", "192.0.2.1")); w.Code != http.StatusTooManyRequests {
		t.Errorf("second wrong password: %d, want 429", w.Code)
	}
	if n := id.count(); n != 2 {
		t.Errorf("%d passwords checked, want 2 (the sign-in given a slot and the wrong one)", n)
	}
}
