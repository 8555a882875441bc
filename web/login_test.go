package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *testClock { return &testClock{t: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)} }

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// setupClock is setup with the clock c.
func setupClock(tb testing.TB, c *testClock, opts ...func(*Config)) *testBundle {
	return setup(tb, append([]func(*Config){func(cfg *Config) { cfg.Now = c.Now }}, opts...)...)
}

// setLogin gives user the login name login and, unless it is "", the
// password pw.
func (b *testBundle) setLogin(tb testing.TB, user, login, pw string) {
	tb.Helper()
	l := &archive.Login{UserID: b.users[user].ID, Name: login}
	if pw != "" {
		h, err := HashPassword(pw)
		if err != nil {
			tb.Fatal(err)
		}
		l.PasswordHash, l.PasswordAt = h, time.Now()
	}
	ctx := context.Background()
	if err := b.cat.Update(ctx, func(tx archive.CatalogTx) error { return tx.PutLogin(ctx, l) }); err != nil {
		tb.Fatal(err)
	}
}

// loginForm posts the sign-in form from addr (the client's address).
func loginForm(login, pw, addr string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"login": {login}, "password": {pw}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = addr + ":40000"
	return r
}

// signIn signs login in with the form and returns the session cookie.
func (b *testBundle) signIn(tb testing.TB, login, pw string) *http.Cookie {
	tb.Helper()
	w := b.do(tb, "", loginForm(login, pw, "192.0.2.1"))
	if w.Code != http.StatusSeeOther {
		tb.Fatalf("sign in %s: %d %s", login, w.Code, w.Body)
	}
	return sessionCookieOf(tb, w)
}

func sessionCookieOf(tb testing.TB, w *httptest.ResponseRecorder) *http.Cookie {
	tb.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == SessionCookie {
			return c
		}
	}
	tb.Fatalf("no %s cookie in %v", SessionCookie, w.Header())
	return nil
}

// withCookie sends r with c and returns the answer.
func (b *testBundle) withCookie(tb testing.TB, c *http.Cookie, r *http.Request) *httptest.ResponseRecorder {
	tb.Helper()
	r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	return b.do(tb, "", r)
}

// auditActions counts the audit entries of each action/outcome.
func (b *testBundle) auditActions(tb testing.TB) map[string]int {
	tb.Helper()
	n := map[string]int{}
	err := b.cat.AuditEvents(context.Background(), 0, func(e *archive.AuditEvent) error {
		n[e.Action+"/"+e.Outcome]++
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestSignIn: the form sets an HttpOnly, SameSite=Lax cookie for the whole
// site (Secure over TLS), whose token the catalog keeps only as SHA-256,
// and the cookie works on API routes; JSON signs in too.
func TestSignIn(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) { c.TrustedProxies = mustPrefixes(t, "10.0.0.0/8") })
	b.setLogin(t, "citizen", "duc", "mật khẩu dài lắm")
	form := url.Values{"login": {"  Duc "}, "password": {"mật khẩu dài lắm"}, "next": {"/api/v1/me/records"}}
	r := httptest.NewRequest(http.MethodPost, "https://khoso.example/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := b.do(t, "", r)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/api/v1/me/records" {
		t.Fatalf("sign in: %d %v %s", w.Code, w.Header(), w.Body)
	}
	c := sessionCookieOf(t, w)
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge != 12*3600 {
		t.Errorf("cookie over TLS %+v: want HttpOnly, Secure, SameSite=Lax, Path=/, Max-Age 12 h", c)
	}
	var stored string
	if err := b.cat.DB().QueryRow(`SELECT token_hash FROM sessions`).Scan(&stored); err != nil ||
		stored != string(TokenHash(c.Value)) {
		t.Errorf("stored session token %q, %v; want only the SHA-256 of the cookie's", stored, err)
	}
	if w := b.withCookie(t, c, httptest.NewRequest(http.MethodGet, "/api/v1/me/records", nil)); w.Code != http.StatusOK {
		t.Errorf("API with the cookie: %d %s", w.Code, w.Body)
	}
	if w := b.withCookie(t, c, httptest.NewRequest(http.MethodGet, "/api/v1/audit", nil)); w.Code != http.StatusForbidden {
		t.Errorf("a citizen's cookie on the audit log: %d, want 403", w.Code)
	}

	plain := b.signIn(t, "duc", "mật khẩu dài lắm")
	if plain.Secure || !plain.HttpOnly || plain.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie over plain HTTP %+v: want HttpOnly, SameSite=Lax, not Secure", plain)
	}

	// Behind a trusted proxy that ended TLS the cookie is Secure; a next
	// that leaves the site is ignored.
	r = httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"login": {"duc"},
		"password": {"mật khẩu dài lắm"}, "next": {"//evil.example/x"}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Forwarded-Proto", "https")
	r.RemoteAddr = "10.1.2.3:5000"
	w = b.do(t, "", r)
	if c := sessionCookieOf(t, w); !c.Secure || w.Header().Get("Location") != "/" {
		t.Errorf("behind a TLS proxy: cookie %+v, Location %q; want Secure and /", c, w.Header().Get("Location"))
	}

	w = b.do(t, "", jsonRequest(http.MethodPost, "/login", `{"login":"duc","password":"mật khẩu dài lắm"}`))
	var got loginResponse
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.User.ID != b.users["citizen"].ID {
		t.Fatalf("JSON sign in: %d %s", w.Code, w.Body)
	}
	if w := b.withCookie(t, sessionCookieOf(t, w), httptest.NewRequest(http.MethodGet, "/api/v1/me/shares", nil)); w.Code != http.StatusOK {
		t.Errorf("API with the JSON sign-in's cookie: %d %s", w.Code, w.Body)
	}
	if w := b.do(t, "citizen", httptest.NewRequest(http.MethodGet, "/api/v1/me/records", nil)); w.Code != http.StatusOK {
		t.Errorf("API token still works: %d", w.Code)
	}
	if n := b.auditActions(t)["sign-in/ok"]; n != 4 {
		t.Errorf("%d sign-in/ok audit entries, want 4", n)
	}
	if w := b.do(t, "", httptest.NewRequest(http.MethodGet, "/login", nil)); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), `<label for="password">`) {
		t.Errorf("GET /login: %d %s", w.Code, w.Body)
	}
}

// TestSessionExpiry: a session ends after SessionIdle without use (each use
// extends it) and SessionMax after sign-in however used.
func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	clk := newClock()
	b := setupClock(t, clk)
	b.setLogin(t, "handlerA", "an", "mật khẩu của An")
	api := func(c *http.Cookie) int {
		return b.withCookie(t, c, httptest.NewRequest(http.MethodGet, "/api/v1/search?q=x", nil)).Code
	}
	idle := b.signIn(t, "an", "mật khẩu của An")
	for _, step := range []time.Duration{29 * time.Minute, 29 * time.Minute, 29 * time.Minute} {
		clk.advance(step)
		if code := api(idle); code != http.StatusOK {
			t.Fatalf("used every 29 minutes: %d, want 200 (sliding idle expiry)", code)
		}
	}
	clk.advance(30 * time.Minute)
	w := b.withCookie(t, idle, httptest.NewRequest(http.MethodGet, "/api/v1/search?q=x", nil))
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "sign in again") {
		t.Errorf("after 30 idle minutes: %d %s, want 401", w.Code, w.Body)
	}
	if c := sessionCookieOf(t, w); c.MaxAge >= 0 {
		t.Errorf("expired session's cookie %+v not deleted", c)
	}

	long := b.signIn(t, "an", "mật khẩu của An")
	for elapsed := 20 * time.Minute; elapsed < 12*time.Hour; elapsed += 20 * time.Minute {
		clk.advance(20 * time.Minute)
		if code := api(long); code != http.StatusOK {
			t.Fatalf("%v after sign-in, used every 20 minutes: %d, want 200", elapsed, code)
		}
	}
	clk.advance(20 * time.Minute)
	if code := api(long); code != http.StatusUnauthorized {
		t.Errorf("12 h after sign-in: %d, want 401 (absolute expiry)", code)
	}
}

// TestLogout: signing out ends the session on the server, not only in the
// browser, and is audited.
func TestLogout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setLogin(t, "clerkA", "hoa", "mật khẩu của Hoa")
	c := b.signIn(t, "hoa", "mật khẩu của Hoa")
	r := httptest.NewRequest(http.MethodPost, "/logout", strings.NewReader(""))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	w := b.withCookie(t, c, r)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" || sessionCookieOf(t, w).MaxAge >= 0 {
		t.Fatalf("logout: %d %v", w.Code, w.Header())
	}
	if w := b.withCookie(t, c, httptest.NewRequest(http.MethodGet, "/api/v1/batches/x", nil)); w.Code != http.StatusUnauthorized {
		t.Errorf("the old cookie after logout: %d, want 401", w.Code)
	}
	// A page asked for with the old cookie is the sign-in page, saying
	// why, and comes back after.
	w = b.withCookie(t, c, httptest.NewRequest(http.MethodGet, "/search?q=x", nil))
	if body := w.Body.String(); w.Code != http.StatusUnauthorized || !strings.Contains(body, `action="/login"`) ||
		!strings.Contains(body, "sign in again") || !strings.Contains(body, `name="next" value="/search?q=x"`) {
		t.Errorf("a page with the old cookie after logout: %d %s, want the sign-in page", w.Code, body)
	}
	if n := b.auditActions(t)["sign-out/ok"]; n != 1 {
		t.Errorf("%d sign-out audit entries, want 1", n)
	}
	if w := b.do(t, "", httptest.NewRequest(http.MethodPost, "/logout", nil)); w.Code != http.StatusNoContent {
		t.Errorf("logout without a session, from a program: %d, want 204", w.Code)
	}
}

// TestWrongPasswordLimits: wrong passwords are limited per login (whether
// it exists or not) and per client address, answered with one message
// whatever was wrong, and audited once a minute per address.
func TestWrongPasswordLimits(t *testing.T) {
	t.Parallel()
	clk := newClock()
	b := setupClock(t, clk, func(c *Config) {
		c.LoginRate = Rate{PerMinute: 1, Burst: 3}
		c.LoginAddrRate = Rate{PerMinute: 1, Burst: 5}
	})
	b.setLogin(t, "clerkA", "hoa", "mật khẩu của Hoa")
	b.setLogin(t, "handlerA", "an", "") // no password yet
	const addr1, addr2, addr3 = "192.0.2.1", "192.0.2.2", "192.0.2.3"
	bodies := map[string]bool{}
	try := func(login, pw, addr string, want int) {
		t.Helper()
		w := b.do(t, "", loginForm(login, pw, addr))
		if w.Code != want {
			t.Fatalf("%s/%s from %s: %d, want %d", login, pw, addr, w.Code, want)
		}
		if want == http.StatusUnauthorized {
			msg, _, _ := strings.Cut(w.Body.String()[strings.Index(w.Body.String(), `role="alert">`)+1:], "</p>")
			bodies[msg] = true
		}
	}
	// Per login: three wrong passwords, then even the right one waits.
	try("hoa", "sai mật khẩu 1", addr1, http.StatusUnauthorized)
	try("hoa", "sai mật khẩu 2", addr2, http.StatusUnauthorized)
	try("hoa", "sai mật khẩu 3", addr3, http.StatusUnauthorized)
	try("hoa", "mật khẩu của Hoa", addr1, http.StatusTooManyRequests)
	try("no-such-login", "whatever1", addr1, http.StatusUnauthorized)
	try("an", "whatever12", addr1, http.StatusUnauthorized)
	if len(bodies) != 1 {
		t.Errorf("wrong password, unknown login and login without password answer differently: %v", bodies)
	}
	clk.advance(61 * time.Second)
	try("hoa", "mật khẩu của Hoa", addr1, http.StatusSeeOther)

	// Per address: addr1 has spent 3 of 5 (and regained one); new logins
	// do not help it, another address is not affected.
	try("x1", "whatever12", addr1, http.StatusUnauthorized)
	try("x2", "whatever12", addr1, http.StatusUnauthorized)
	try("x3", "whatever12", addr1, http.StatusUnauthorized)
	try("x4", "whatever12", addr1, http.StatusTooManyRequests)
	try("x4", "whatever12", addr2, http.StatusUnauthorized)

	// One audit entry per address per minute, not one per refusal.
	if n := b.auditActions(t)["sign-in/denied"]; n != 5 {
		t.Errorf("%d sign-in/denied audit entries, want 5 (addr1, addr2, addr3, then addr1 and addr2 in their next minute)", n)
	}
}

// TestLoginCrossSite: sign-in, sign-out and cookie-authenticated changes
// sent by another site are refused.
func TestLoginCrossSite(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setLogin(t, "citizen", "duc", "mật khẩu dài lắm")
	rec := b.record(t, []byte("%PDF-1.7 test"))
	c := b.signIn(t, "duc", "mật khẩu dài lắm")
	cross := func(r *http.Request) *http.Request {
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.Header.Set("Origin", "https://evil.example")
		return r
	}
	if w := b.do(t, "", cross(loginForm("duc", "mật khẩu dài lắm", "192.0.2.9"))); w.Code != http.StatusForbidden {
		t.Errorf("cross-site POST /login: %d, want 403", w.Code)
	}
	share := cross(jsonRequest(http.MethodPost, "/api/v1/records/"+rec.ID+"/shares",
		`{"agency":"EVIL","dossier_code":"X","until":"2099-01-01"}`))
	if w := b.withCookie(t, c, share); w.Code != http.StatusForbidden {
		t.Errorf("cross-site POST with the session cookie: %d, want 403", w.Code)
	}
	if w := b.withCookie(t, c, cross(httptest.NewRequest(http.MethodPost, "/logout", nil))); w.Code != http.StatusForbidden {
		t.Errorf("cross-site POST /logout: %d, want 403", w.Code)
	}
	same := jsonRequest(http.MethodPost, "/api/v1/records/"+rec.ID+"/shares", `{"agency":"B","dossier_code":"X","until":"2099-01-01"}`)
	same.Header.Set("Sec-Fetch-Site", "same-origin")
	if w := b.withCookie(t, c, same); w.Code != http.StatusCreated {
		t.Errorf("same-site POST with the session cookie: %d %s, want 201", w.Code, w.Body)
	}
}

// TestPasswordLink: a one-time link sets a password that follows the rules,
// once; then the password signs in.
func TestPasswordLink(t *testing.T) {
	t.Parallel()
	clk := newClock()
	b := setupClock(t, clk)
	b.setLogin(t, "handlerB", "binh", "")
	ctx := context.Background()
	link := func() string {
		var path string
		err := b.cat.Update(ctx, func(tx archive.CatalogTx) (err error) {
			path, err = NewPasswordLink(ctx, tx, b.users["handlerB"].ID, clk.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	post := func(path, pw, confirm string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(url.Values{"password": {pw}, "confirm": {confirm}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return b.do(t, "", r)
	}
	path := link()
	if w := b.do(t, "", httptest.NewRequest(http.MethodGet, path, nil)); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), "binh") || !strings.Contains(w.Body.String(), `<label for="confirm">`) {
		t.Fatalf("GET link: %d %s", w.Code, w.Body)
	}
	for _, c := range []struct{ pw, confirm, want string }{
		{"ngắn", "ngắn", "at least 10"},
		{"BINH", "BINH", "at least 10"},
		{"mật khẩu mới dài", "mật khẩu khác", "differ"},
	} {
		if w := post(path, c.pw, c.confirm); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), c.want) {
			t.Errorf("password %q/%q: %d %s, want 400 saying %q", c.pw, c.confirm, w.Code, w.Body, c.want)
		}
	}
	if err := CheckPassword("binh.nguyen", "Binh.Nguyen"); err == nil {
		t.Error("CheckPassword lets the login name be the password")
	}
	if w := post(path, "mật khẩu mới dài", "mật khẩu mới dài"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="done"`) {
		t.Fatalf("set password: %d %s", w.Code, w.Body)
	}
	if w := post(path, "mật khẩu thứ hai", "mật khẩu thứ hai"); w.Code != http.StatusNotFound {
		t.Errorf("second use of the link: %d, want 404", w.Code)
	}
	if w := b.do(t, "", httptest.NewRequest(http.MethodGet, path, nil)); w.Code != http.StatusNotFound {
		t.Errorf("GET a used link: %d, want 404", w.Code)
	}
	b.signIn(t, "binh", "mật khẩu mới dài")
	if n := b.auditActions(t)["set-password/ok"]; n != 1 {
		t.Errorf("%d set-password audit entries, want 1", n)
	}

	// Four people racing on one link: exactly one sets a password.
	raced := link()
	codes := make([]int, 4)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			pw := fmt.Sprintf("mật khẩu đua số %d", i)
			r := httptest.NewRequest(http.MethodPost, raced, strings.NewReader(url.Values{"password": {pw}, "confirm": {pw}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.RemoteAddr = fmt.Sprintf("198.51.100.%d:4000", i+1) // each within its public rate
			w := httptest.NewRecorder()
			b.srv.ServeHTTP(w, r)
			codes[i] = w.Code
		})
	}
	wg.Wait()
	won := slices.Index(codes, http.StatusOK)
	if won < 0 || slices.Contains(codes[won+1:], http.StatusOK) || countOf(codes, http.StatusNotFound) != 3 {
		t.Fatalf("4 concurrent uses of one link answered %v, want one 200 and three 404", codes)
	}
	b.signIn(t, "binh", fmt.Sprintf("mật khẩu đua số %d", won))
	if n := b.auditActions(t)["set-password/ok"]; n != 2 {
		t.Errorf("%d set-password audit entries after the race, want 2", n)
	}

	old := link()
	clk.advance(PasswordLinkTTL)
	if w := post(old, "mật khẩu thứ ba!", "mật khẩu thứ ba!"); w.Code != http.StatusNotFound {
		t.Errorf("link after 24 h: %d, want 404", w.Code)
	}
	if w := b.do(t, "", httptest.NewRequest(http.MethodGet, "/set-password/nonsense", nil)); w.Code != http.StatusNotFound {
		t.Errorf("unknown link: %d, want 404", w.Code)
	}
}

func countOf(codes []int, code int) int {
	n := 0
	for _, c := range codes {
		if c == code {
			n++
		}
	}
	return n
}
