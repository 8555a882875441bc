package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAdminInBrowser drives the administrator's screens in Chromium on
// the embedded default: the admin sets the password from the first
// start's one-time link and signs in with the form (a cookie session),
// creates a clerk with a login and reads the clerk's one-time link,
// creates an API token that works for the API and revokes it, names an
// agency code in use, and opens the status screen. Every admin screen is
// checked with axe-core and photographed at 1280 and 360 px
// ($KHOSO_SCREENSHOTS, else a temp dir).
func TestAdminInBrowser(t *testing.T) {
	requireTool(t, "chromium", "chromium")
	t.Parallel()
	srv := startServer(t, t.TempDir(), nil)
	adminLink := setPasswordLink.FindString(srv.logs.String())
	if !strings.HasPrefix(adminLink, srv.url+"/set-password/") {
		t.Fatalf("no admin set-password link in the first start's output:\n%s", srv.logs.String())
	}
	dir := screenshotDir(t)
	b := newBrowser(t, srv.url, dir)

	const pw = "mật khẩu quản trị viên 2026"
	b.run("open the one-time link", chromedp.Navigate(adminLink), chromedp.WaitVisible(chromedp.CSS("#password")))
	b.check("set-password")
	b.run("set the admin's password from the one-time link",
		chromedp.WaitVisible(chromedp.CSS("#password")), chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.SendKeys(chromedp.CSS("#confirm"), pw), chromedp.Submit(chromedp.CSS("#confirm")),
		chromedp.WaitVisible(chromedp.CSS("#done")))
	b.run("sign in with the form", chromedp.Navigate(srv.url+"/login"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "admin"), chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("#user-name")))
	if n := eval[int](b, `document.querySelectorAll('.cards a[href^="/admin/"]').length`); n != 3 {
		t.Errorf("the admin's home links %d admin screens, want 3", n)
	}
	b.check("admin-home")

	b.run("open the users", chromedp.Navigate(srv.url+"/admin/users"), chromedp.WaitVisible(chromedp.CSS("#users")))
	if got := b.text("#users tbody"); !strings.Contains(got, "admin") || !strings.Contains(got, "đã đặt") {
		t.Errorf("users list %q lacks the admin with a password set", got)
	}
	b.check("admin-users")
	b.run("open the new-user form", chromedp.Click(chromedp.CSS("#new-user")), chromedp.WaitVisible(chromedp.CSS("#new-user-form")))
	b.check("admin-user-new")
	b.run("create a clerk with a login",
		chromedp.SendKeys(chromedp.CSS("#name"), "Lê Thị Hoa <văn thư>"),
		chromedp.SetValue(chromedp.CSS("#role"), "clerk"),
		chromedp.SendKeys(chromedp.CSS("#agency"), "UBND-HN"),
		chromedp.SendKeys(chromedp.CSS("#login"), "hoa"),
		chromedp.Submit(chromedp.CSS("#new-user-form")),
		chromedp.WaitVisible(chromedp.CSS("#link-box")))
	link := eval[string](b, `document.getElementById("link").value`)
	if !setPasswordLink.MatchString(link) || !strings.HasPrefix(link, srv.url) {
		t.Fatalf("the one-time link shown is %q", link)
	}
	if got := b.text("#user-title"); got != "Lê Thị Hoa <văn thư>" {
		t.Errorf("the new user's page is titled %q", got)
	}
	b.check("admin-user-created")

	b.run("create a token", chromedp.SendKeys(chromedp.CSS("#token-name"), "máy quét tầng 2"),
		chromedp.Submit(chromedp.CSS("#token-form")), chromedp.WaitVisible(chromedp.CSS("#token-box")))
	token := eval[string](b, `document.getElementById("new-token").value`)
	if code := apiStatus(t, srv.url+"/api/v1/search?q=x", token); code != http.StatusOK {
		t.Fatalf("the new token on the API: %d", code)
	}
	b.check("admin-token")
	b.run("revoke the token", chromedp.Click(chromedp.CSS("#tokens button.danger")),
		chromedp.WaitNotPresent(chromedp.CSS("#tokens button.danger")))
	if got := b.text("#tokens .state"); !strings.Contains(got, "đã thu hồi") {
		t.Errorf("the token after revoking is %q", got)
	}
	if code := apiStatus(t, srv.url+"/api/v1/search?q=x", token); code != http.StatusUnauthorized {
		t.Errorf("a revoked token on the API: %d, want 401", code)
	}
	setPassword(t, link, "mật khẩu của văn thư 2026")

	b.run("open the agencies", chromedp.Navigate(srv.url+"/admin/agencies"), chromedp.WaitVisible(chromedp.CSS("#agencies")))
	if got := b.text(`tr[data-agency="UBND-HN"]`); !strings.Contains(got, "chưa đặt tên") {
		t.Errorf("the clerk's agency before naming: %q", got)
	}
	b.run("name the agency", chromedp.Click(chromedp.CSS(`tr[data-agency="UBND-HN"] a[href*="code="]`)),
		chromedp.WaitVisible(chromedp.CSS(`#code[value="UBND-HN"]`)),
		chromedp.SendKeys(chromedp.CSS("#name_vi"), "Ủy ban nhân dân thành phố Hà Nội"),
		chromedp.SendKeys(chromedp.CSS("#name_en"), "Hanoi People's Committee"),
		chromedp.Submit(chromedp.CSS("#agency-form")),
		// The list is on the page before the form is sent: wait for the
		// agency's "name it" link to go.
		chromedp.WaitNotPresent(chromedp.CSS(`tr[data-agency="UBND-HN"] a[href*="code="]`)))
	if got := b.text(`tr[data-agency="UBND-HN"]`); !strings.Contains(got, "Ủy ban nhân dân thành phố Hà Nội") || strings.Contains(got, "chưa đặt tên") {
		t.Errorf("the agency after naming: %q", got)
	}
	b.check("admin-agencies")

	b.run("open the status", chromedp.Navigate(srv.url+"/admin/status"), chromedp.WaitVisible(chromedp.CSS("#ready")))
	if got := b.text("#dialect"); got != "sqlite" {
		t.Errorf("status names the database %q", got)
	}
	if got := eval[string](b, `document.getElementById("queue-ui").getAttribute("href")`); got != "/riverui/" {
		t.Errorf("queue UI link %q", got)
	}
	if got := b.text("#storage"); !strings.Contains(got, "GiB") || !strings.Contains(got, "local disk") {
		t.Errorf("storage shows %q", got)
	}
	b.check("admin-status")
	b.run("English", chromedp.Navigate(srv.url+"/admin/status?lang=en"), chromedp.WaitVisible(chromedp.CSS("#ready")))
	b.check("admin-status-en")
	t.Logf("screenshots in %s", dir)
}

// apiStatus is the status of GET u with token.
func apiStatus(t *testing.T, u, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
