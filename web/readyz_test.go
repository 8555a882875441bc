package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestReadyzReason: a server that is not ready tells why to an admin,
// signed in with a cookie or sending a token, and only "not ready" to
// anyone else.
func TestReadyzReason(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) {
		c.Ready = func(context.Context) error { return errors.New("catalog: database is locked") }
	})
	b.setLogin(t, "admin", "quantri", "mật khẩu quản trị")
	b.setLogin(t, "handlerA", "an", "mật khẩu của An")
	admin, handler := b.signIn(t, "quantri", "mật khẩu quản trị"), b.signIn(t, "an", "mật khẩu của An")
	for _, c := range []struct {
		name   string
		send   func(*http.Request)
		reason bool
	}{
		{"nobody", func(*http.Request) {}, false},
		{"an admin's cookie", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: SessionCookie, Value: admin.Value}) }, true},
		{"an admin's token", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+b.tokens["admin"]) }, true},
		{"a handler's cookie", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: SessionCookie, Value: handler.Value}) }, false},
		{"a handler's token", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+b.tokens["handlerA"]) }, false},
		{"an unknown cookie", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: SessionCookie, Value: "nonsense"}) }, false},
	} {
		r := httptest.NewRequest(http.MethodGet, "/readyz", nil)
		c.send(r)
		w := b.do(t, "", r)
		var got map[string]string
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusServiceUnavailable ||
			got["status"] != "not ready" {
			t.Errorf("%s: %d %s, want 503 not ready", c.name, w.Code, w.Body)
		}
		if has := got["error"] == "catalog: database is locked"; has != c.reason {
			t.Errorf("%s: reason shown %v, want %v (%s)", c.name, has, c.reason, w.Body)
		}
	}
}
