package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/web"
)

var setPasswordLink = regexp.MustCompile(`https?://\S+/set-password/[A-Za-z0-9_-]+`)

// TestSignInCommands: the first start prints a one-time link that sets the
// admin's password; `khoso user add --login --password-file` makes a user
// who signs in to the real server, and the session cookie reaches the API;
// without --password-file the user gets a link.
func TestSignInCommands(t *testing.T) {
	t.Parallel()
	b := startServer(t, t.TempDir(), nil)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	adminLink := setPasswordLink.FindString(b.logs.String())
	if !strings.HasPrefix(adminLink, b.url+"/set-password/") {
		t.Fatalf("no admin set-password link at %s in the first start's output:\n%s", b.url, b.logs.String())
	}
	setPassword(t, adminLink, "mật khẩu quản trị viên")
	cookie := signInHTTP(t, noRedirect, b.url, "admin", "mật khẩu quản trị viên")
	if code := getWithCookie(t, b.url+"/api/v1/audit", cookie); code != http.StatusOK {
		t.Errorf("the admin's cookie on the audit log: %d", code)
	}

	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte("mật khẩu của An\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := b.khoso(t, "user", "add", "--role", "handler", "--name", "Trần Văn An", "--agency", "UBND-HN",
		"--login", "An", "--password-file", pwFile)
	if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), "khoso_") {
		t.Fatalf("user add --login --password-file: %d %q %s", code, out, errOut)
	}
	cookie = signInHTTP(t, noRedirect, b.url, "an", "mật khẩu của An")
	if code := getWithCookie(t, b.url+"/api/v1/search?q=x", cookie); code != http.StatusOK {
		t.Errorf("the handler's cookie on search: %d", code)
	}
	if code := getWithCookie(t, b.url+"/api/v1/audit", cookie); code != http.StatusForbidden {
		t.Errorf("the handler's cookie on the audit log: %d, want 403", code)
	}

	code, _, errOut = b.khoso(t, "user", "add", "--role", "clerk", "--name", "Lê Thị Hoa", "--agency", "BTNMT", "--login", "hoa")
	link := setPasswordLink.FindString(errOut)
	if code != 0 || !strings.HasPrefix(link, defaultPublicURL+"/set-password/") {
		t.Fatalf("user add --login without a password: %d %s", code, errOut)
	}
	setPassword(t, b.url+strings.TrimPrefix(link, defaultPublicURL), "mật khẩu của Hoa")
	signInHTTP(t, noRedirect, b.url, "hoa", "mật khẩu của Hoa")

	weak := filepath.Join(t.TempDir(), "weak")
	os.WriteFile(weak, []byte("ngắn\n"), 0o600)
	for _, args := range [][]string{
		{"--login", "binh", "--password-file", weak},
		{"--login", "an", "--password-file", pwFile}, // taken
		{"--password-file", pwFile},
	} {
		args = append([]string{"user", "add", "--role", "handler", "--name", "Bình", "--agency", "UBND-HN"}, args...)
		if code, _, errOut := b.khoso(t, args...); code == 0 {
			t.Errorf("%v: exit 0, want a refusal", args)
		} else if strings.Contains(errOut, "sqlstore:") {
			t.Errorf("%v: %s names a package", args, errOut)
		}
	}
}

// setPassword sets pw from the one-time link.
func setPassword(t *testing.T, link, pw string) {
	t.Helper()
	resp, err := http.PostForm(link, url.Values{"password": {pw}, "confirm": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("set password at %s: %d", link, resp.StatusCode)
	}
}

// addClerkLogin adds a clerk of agency who signs in as login with
// password, through khoso user add --login --password-file, and returns
// the clerk's API token.
func addClerkLogin(t *testing.T, srv *testBundle, name, agency, login, password string) string {
	t.Helper()
	pw := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pw, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := srv.khoso(t, "user", "add", "--role", "clerk", "--name", name, "--agency", agency,
		"--login", login, "--password-file", pw)
	if code != 0 {
		t.Fatalf("user add: %d %s %s", code, out, errOut)
	}
	return strings.TrimSpace(out)
}

// signInHTTP signs in with JSON and the form, and returns the form's
// session cookie.
func signInHTTP(t *testing.T, c *http.Client, base, login, pw string) *http.Cookie {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"login": login, "password": pw})
	resp, err := c.Post(base+"/login", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("JSON sign-in as %s: %d", login, resp.StatusCode)
	}
	resp, err = c.PostForm(base+"/login", url.Values{"login": {login}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == web.SessionCookie && resp.StatusCode == http.StatusSeeOther {
			return ck
		}
	}
	t.Fatalf("form sign-in as %s: %d %v", login, resp.StatusCode, resp.Header)
	return nil
}

func getWithCookie(t *testing.T, u string, c *http.Cookie) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
