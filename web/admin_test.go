package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// adminRoutes are every administrator's route, with a path to try.
var adminRoutes = []struct{ method, path string }{
	{"GET", "/admin/users"}, {"GET", "/admin/users/new"}, {"POST", "/admin/users"},
	{"GET", "/admin/users/u-clerkA"}, {"POST", "/admin/users/u-clerkA"},
	{"POST", "/admin/users/u-clerkA/disable"}, {"POST", "/admin/users/u-clerkA/enable"},
	{"POST", "/admin/users/u-clerkA/tokens"}, {"POST", "/admin/users/u-clerkA/password-link"},
	{"POST", "/admin/tokens/t-x/revoke"}, {"GET", "/admin/agencies"}, {"POST", "/admin/agencies"},
	{"GET", "/admin/status"},
}

// TestAdminForbidden: every other role gets the 403 page on every admin
// route, changes nothing, and a visitor is sent to sign in.
func TestAdminForbidden(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, rt := range adminRoutes {
		for _, user := range []string{"clerkA", "handlerA", "citizen"} {
			var w *httptest.ResponseRecorder
			if rt.method == "GET" {
				w = b.page(t, user, rt.path)
			} else {
				w = b.post(t, user, rt.path, url.Values{"name": {"x"}, "role": {"admin"}, "code": {"X"}, "name_vi": {"X"}})
			}
			if w.Code != http.StatusForbidden || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				t.Errorf("%s %s as %s: %d %s", rt.method, rt.path, user, w.Code, w.Header().Get("Content-Type"))
			}
		}
		if rt.method == "GET" {
			if w := b.page(t, "", rt.path); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login?next=") {
				t.Errorf("GET %s without credentials: %d %q", rt.path, w.Code, w.Header().Get("Location"))
			}
		}
	}
	if u, err := b.cat.User(context.Background(), "u-clerkA"); err != nil || u.Disabled() || u.Role != archive.RoleClerk {
		t.Errorf("clerkA after refused changes: %+v, %v", u, err)
	}
	if list, _ := b.cat.Agencies(context.Background()); len(list) != 2 || list[0].Named {
		t.Errorf("agencies after refused changes: %+v", list)
	}
}

// linkRE finds the one-time link shown on a page.
var linkRE = regexp.MustCompile(`id="link" class="once" readonly value="(http://[^"]+/set-password/[^"]+)"`)

// tokenRE finds the token shown once on a page.
var tokenRE = regexp.MustCompile(`id="new-token" class="once" readonly value="(khoso_[A-Za-z0-9_-]+)"`)

// TestAdminCreateUser: a clerk made with a login gets a one-time link that
// sets the password; a refused form says why in both languages and makes
// nobody; a login name in use is refused.
func TestAdminCreateUser(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.page(t, "admin", "/admin/users/new")
	mustContain(t, w, `action="/admin/users"`, `name="role"`, `value="clerk" selected`, `<option value="A">`)
	w = b.post(t, "admin", "/admin/users", url.Values{"role": {"clerk"}, "name": {"Lê Thị Hoa"}, "agency": {"A"}, "login": {" Hoa "}})
	if w.Code != http.StatusCreated {
		t.Fatalf("create user: %d %s", w.Code, w.Body)
	}
	m := linkRE.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no one-time link on the page:\n%s", w.Body)
	}
	mustContain(t, w, "Lê Thị Hoa", "Đã tạo người dùng", "<code>hoa</code>")
	link, _ := url.Parse(m[1])
	if w := b.page(t, "", link.Path); w.Code != http.StatusOK {
		t.Errorf("GET the one-time link: %d", w.Code)
	}
	w = b.do(t, "", formRequest(link.Path, url.Values{"password": {"mật khẩu rất dài 2026"}, "confirm": {"mật khẩu rất dài 2026"}}))
	if w.Code != http.StatusOK {
		t.Fatalf("set the password from the link: %d %s", w.Code, w.Body)
	}
	b.signIn(t, "hoa", "mật khẩu rất dài 2026")
	l, err := b.cat.Login(context.Background(), "hoa")
	if err != nil || l.User.Role != archive.RoleClerk || l.User.Agency != "A" {
		t.Fatalf("the new login: %+v, %v", l, err)
	}
	if tokens, _ := b.cat.Tokens(context.Background(), l.UserID); len(tokens) != 0 {
		t.Errorf("a user made on the screen has tokens %+v; tokens are made on purpose", tokens)
	}
	if n := b.auditActions(t)["user-create/ok"]; n != 1 {
		t.Errorf("user-create audited %d times", n)
	}

	before := countUsers(t, b)
	for _, c := range []struct {
		form url.Values
		code int
		vi   string
		en   string
	}{
		{url.Values{"role": {"clerk"}, "name": {"X"}}, 400, "vai trò clerk cần mã cơ quan", "a clerk needs an agency code"},
		{url.Values{"role": {"citizen"}, "name": {"X"}}, 400, "công dân cần số định danh", "a citizen needs a holder ID"},
		{url.Values{"role": {"root"}, "name": {"X"}}, 400, "vai trò &#34;root&#34; không có", "role &#34;root&#34;: want one of"},
		{url.Values{"role": {"handler"}, "name": {"X"}, "agency": {"A B"}}, 400, "mã cơ quan chỉ gồm", "an agency code has only"},
		{url.Values{"role": {"auditor"}, "name": {strings.Repeat("x", 201)}}, 400, "họ tên tối đa 200", "a name has at most 200"},
		{url.Values{"role": {"auditor"}, "name": {"X"}, "login": {"Hoa"}}, 409, "tên đăng nhập này đã có người dùng", "this login name is taken"},
		{url.Values{"role": {"auditor"}, "name": {"X"}, "login": {"a b"}}, 400, "tên đăng nhập", "login"},
	} {
		w := b.post(t, "admin", "/admin/users", c.form)
		if w.Code != c.code {
			t.Errorf("create %v: %d, want %d", c.form, w.Code, c.code)
		}
		mustContain(t, w, c.vi, `aria-invalid="true"`)
		c.form.Set("lang", "en")
		r := httptest.NewRequest(http.MethodPost, "/admin/users?lang=en", strings.NewReader(c.form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		mustContain(t, b.do(t, "admin", r), c.en)
	}
	if n := countUsers(t, b); n != before {
		t.Errorf("refused forms made %d users", n-before)
	}
}

func formRequest(path string, form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func countUsers(tb testing.TB, b *testBundle) int {
	tb.Helper()
	list, err := b.cat.Users(context.Background(), archive.UserFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	return len(list)
}

// TestAdminTokens: a token made on the screen is shown once, works for the
// API, shows when it was used, and fails at once after it is revoked; the
// user's other token keeps working.
func TestAdminTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.post(t, "admin", "/admin/users/u-clerkA/tokens", url.Values{"name": {"máy quét <tầng 2>"}})
	if w.Code != http.StatusCreated {
		t.Fatalf("create token: %d %s", w.Code, w.Body)
	}
	m := tokenRE.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no token on the page:\n%s", w.Body)
	}
	token := m[1]
	mustContain(t, w, "máy quét &lt;tầng 2&gt;")
	api := func(tok string) int {
		r := httptest.NewRequest(http.MethodGet, "/api/v1/search?q=x", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		return b.do(t, "", r).Code
	}
	if code := api(token); code != http.StatusOK {
		t.Fatalf("the new token on the API: %d", code)
	}
	w = b.page(t, "admin", "/admin/users/u-clerkA")
	if strings.Contains(w.Body.String(), token) {
		t.Error("the token is shown again on the user's page")
	}
	tokens, err := b.cat.Tokens(context.Background(), "u-clerkA")
	if err != nil || len(tokens) != 2 || tokens[1].LastUsed.IsZero() || tokens[1].Hash != TokenHash(token) {
		t.Fatalf("tokens of clerkA = %+v, %v; want the default and the new one, used", tokens, err)
	}
	mustContain(t, w, `data-token="`+tokens[1].ID+`"`, `action="/admin/tokens/`+tokens[1].ID+`/revoke"`)
	w = b.post(t, "admin", "/admin/tokens/"+tokens[1].ID+"/revoke", nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/admin/users/u-clerkA" {
		t.Fatalf("revoke: %d %q", w.Code, w.Header().Get("Location"))
	}
	if code := api(token); code != http.StatusUnauthorized {
		t.Errorf("a revoked token on the API: %d, want 401", code)
	}
	if code := api(b.tokens["clerkA"]); code != http.StatusOK {
		t.Errorf("the user's other token after a revocation: %d", code)
	}
	mustContain(t, b.page(t, "admin", "/admin/users/u-clerkA"), "đã thu hồi")
	for _, name := range []string{"", strings.Repeat("x", 101)} {
		if w := b.post(t, "admin", "/admin/users/u-clerkA/tokens", url.Values{"name": {name}}); w.Code != http.StatusBadRequest {
			t.Errorf("token name %q: %d", name, w.Code)
		}
	}
	if w := b.post(t, "admin", "/admin/users/u-nobody/tokens", url.Values{"name": {"x"}}); w.Code != http.StatusNotFound {
		t.Errorf("token for a missing user: %d", w.Code)
	}
	if w := b.post(t, "admin", "/admin/tokens/t-nothing/revoke", nil); w.Code != http.StatusNotFound {
		t.Errorf("revoke a missing token: %d", w.Code)
	}
	acts := b.auditActions(t)
	if acts["token-create/ok"] != 1 || acts["token-revoke/ok"] != 1 {
		t.Errorf("audit: %v", acts)
	}
}

// TestAdminDisable: disabling a user ends their session cookie and their
// tokens at once, and they cannot sign in; enabling lets them back.
func TestAdminDisable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setLogin(t, "clerkA", "hoa", "mật khẩu rất dài 2026")
	cookie := b.signIn(t, "hoa", "mật khẩu rất dài 2026")
	home := func() *httptest.ResponseRecorder {
		return b.withCookie(t, cookie, httptest.NewRequest(http.MethodGet, "/", nil))
	}
	if w := home(); w.Code != http.StatusOK {
		t.Fatalf("home with the session: %d", w.Code)
	}
	w := b.post(t, "admin", "/admin/users/u-clerkA/disable", nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", w.Code, w.Body)
	}
	if w := home(); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "hãy đăng nhập lại") {
		t.Errorf("home with a disabled user's session: %d, want 401 saying to sign in again", w.Code)
	}
	if w := b.page(t, "clerkA", "/api/v1/search?q=x"); w.Code != http.StatusUnauthorized {
		t.Errorf("a disabled user's token: %d, want 401", w.Code)
	}
	if w := b.do(t, "", loginForm("hoa", "mật khẩu rất dài 2026", "192.0.2.9")); w.Code == http.StatusSeeOther {
		t.Error("a disabled user signed in")
	}
	mustContain(t, b.page(t, "admin", "/admin/users/u-clerkA"), "đã vô hiệu hoá", `action="/admin/users/u-clerkA/enable"`)
	mustContain(t, b.page(t, "admin", "/admin/users?role=clerk"), "đã vô hiệu hoá")
	if w := b.post(t, "admin", "/admin/users/u-clerkA/enable", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("enable: %d", w.Code)
	}
	if w := b.page(t, "clerkA", "/api/v1/search?q=x"); w.Code != http.StatusOK {
		t.Errorf("an enabled user's token: %d", w.Code)
	}
	// A user disabled by another path (the catalog alone, sessions kept)
	// is refused on the next request all the same.
	cookie = b.signIn(t, "hoa", "mật khẩu rất dài 2026")
	if w := home(); w.Code != http.StatusOK {
		t.Fatalf("home after enabling: %d", w.Code)
	}
	ctx := context.Background()
	err := b.cat.Update(ctx, func(tx archive.CatalogTx) error {
		u, err := tx.User(ctx, "u-clerkA")
		if err != nil {
			return err
		}
		u.DisabledAt = b.srv.now()
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := home(); w.Code != http.StatusUnauthorized {
		t.Errorf("a session of a user disabled in the catalog: %d, want 401", w.Code)
	}
	acts := b.auditActions(t)
	if acts["user-disable/ok"] != 1 || acts["user-enable/ok"] != 1 {
		t.Errorf("audit: %v", acts)
	}
}

// TestAdminSelfAndLastAdmin: an admin cannot disable themselves or change
// their own role, and no change leaves the catalog without an enabled
// admin; each refusal says why in both languages.
func TestAdminSelfAndLastAdmin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.post(t, "admin", "/admin/users/u-admin/disable", nil)
	if w.Code != http.StatusForbidden {
		t.Errorf("disable oneself: %d", w.Code)
	}
	mustContain(t, w, "Bạn không thể tự vô hiệu hoá tài khoản của mình")
	r := formRequest("/admin/users/u-admin/disable?lang=en", nil)
	mustContain(t, b.do(t, "admin", r), "you cannot disable your own account")
	w = b.post(t, "admin", "/admin/users/u-admin", url.Values{"role": {"auditor"}, "name": {"admin"}})
	if w.Code != http.StatusForbidden {
		t.Errorf("change one's own role: %d", w.Code)
	}
	mustContain(t, w, "Bạn không thể đổi vai trò của chính mình")
	if u, _ := b.cat.User(context.Background(), "u-admin"); u.Disabled() || u.Role != archive.RoleAdmin {
		t.Fatalf("the admin after refusals: %+v", u)
	}
	mustContain(t, b.page(t, "admin", "/admin/users/u-admin"), "admin")
	if strings.Contains(b.page(t, "admin", "/admin/users/u-admin").Body.String(), `action="/admin/users/u-admin/disable"`) {
		t.Error("the admin's own page offers to disable them")
	}

	// The last enabled admin is kept whichever way the change comes.
	ctx := context.Background()
	err := b.srv.changeUser(ctx, "u-admin", func(u *archive.User) error { u.Role = archive.RoleAuditor; return nil })
	if !errors.Is(err, errLastAdmin) {
		t.Errorf("demote the last admin: %v, want errLastAdmin", err)
	}
	b.addUser(t, archive.User{Name: "admin2", Role: archive.RoleAdmin})
	if w := b.post(t, "admin", "/admin/users/u-admin2/disable", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("disable the other admin: %d", w.Code)
	}
	err = b.srv.changeUser(ctx, "u-admin", func(u *archive.User) error { u.DisabledAt = b.srv.now(); return nil })
	if !errors.Is(err, errLastAdmin) {
		t.Errorf("disable the last enabled admin: %v, want errLastAdmin", err)
	}
	if w := b.post(t, "admin", "/admin/users/u-admin2/enable", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("enable the other admin: %d", w.Code)
	}
	if err := b.srv.changeUser(ctx, "u-admin", func(u *archive.User) error { u.Role = archive.RoleAuditor; return nil }); err != nil {
		t.Errorf("demote an admin when another is enabled: %v", err)
	}
	if statusOf(errLastAdmin) != http.StatusConflict || !strings.Contains(errLastAdmin.En, "last enabled administrator") {
		t.Errorf("errLastAdmin: %d %q", statusOf(errLastAdmin), errLastAdmin.En)
	}
}

// TestAdminUpdateUser: a role or agency change is stored and audited with
// the values before and after; a bad change is refused.
func TestAdminUpdateUser(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.post(t, "admin", "/admin/users/u-handlerB", url.Values{"role": {"clerk"}, "name": {"handlerB"}, "agency": {"A"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/admin/users/u-handlerB" {
		t.Fatalf("update: %d %s", w.Code, w.Body)
	}
	u, err := b.cat.User(context.Background(), "u-handlerB")
	if err != nil || u.Role != archive.RoleClerk || u.Agency != "A" {
		t.Fatalf("after update: %+v, %v", u, err)
	}
	var detail string
	b.cat.AuditEvents(context.Background(), 0, func(e *archive.AuditEvent) error {
		if e.Action == "user-update" {
			detail = e.Detail + " @" + e.Object + " by " + e.Actor
		}
		return nil
	})
	if detail != `role=handler agency=B name="handlerB" → role=clerk agency=A name="handlerB" @u-handlerB by u-admin` {
		t.Errorf("user-update audit detail = %q", detail)
	}
	w = b.post(t, "admin", "/admin/users/u-handlerB", url.Values{"role": {"handler"}, "name": {"handlerB"}})
	if w.Code != http.StatusBadRequest {
		t.Errorf("a handler without agency: %d", w.Code)
	}
	mustContain(t, w, "vai trò handler cần mã cơ quan")
	if w := b.post(t, "admin", "/admin/users/u-nobody", url.Values{"role": {"auditor"}, "name": {"x"}}); w.Code != http.StatusNotFound {
		t.Errorf("update a missing user: %d", w.Code)
	}
}

// TestAdminUsersList: the list shows each user's facts, filters by role and
// agency, pages, and renders a hostile name as text.
func TestAdminUsersList(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setLogin(t, "clerkA", "hoa", "mật khẩu rất dài 2026")
	b.setLogin(t, "handlerA", "an", "")
	b.addUser(t, archive.User{Name: hostileName, Role: archive.RoleAuditor})
	w := b.page(t, "admin", "/admin/users")
	mustContain(t, w, `data-user="u-clerkA"`, "<code>hoa</code>", "đã đặt", "<code>an</code>", "chưa đặt", "<code>001088012345</code>",
		"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", `href="/admin/users/new"`)
	if strings.Contains(w.Body.String(), hostileName) {
		t.Error("a user's name became markup")
	}
	mustContain(t, b.page(t, "admin", "/admin/users/u-"+url.PathEscape(hostileName)), "&lt;script&gt;")
	w = b.page(t, "admin", "/admin/users?role=handler&agency=B")
	if body := w.Body.String(); !strings.Contains(body, `data-user="u-handlerB"`) || strings.Contains(body, `data-user="u-handlerA"`) {
		t.Errorf("filter handler of B:\n%s", body)
	}
	for i := range adminPageSize {
		b.addUser(t, archive.User{Name: fmt.Sprintf("citizen%02d", i), Role: archive.RoleCitizen, HolderID: fmt.Sprint(i)})
	}
	w = b.page(t, "admin", "/admin/users?role=citizen")
	if n := strings.Count(w.Body.String(), "data-user="); n != adminPageSize {
		t.Errorf("page 1 lists %d users", n)
	}
	mustContain(t, w, `href="/admin/users?page=2&amp;role=citizen"`)
	w = b.page(t, "admin", "/admin/users?role=citizen&page=2")
	if n := strings.Count(w.Body.String(), "data-user="); n != 1 {
		t.Errorf("page 2 lists %d users, want 1", n)
	}
	mustContain(t, w, `rel="prev"`)
}

// TestAdminPasswordLink: a user with a login gets a new one-time link; a
// user without one is told so.
func TestAdminPasswordLink(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setLogin(t, "handlerA", "an", "")
	w := b.post(t, "admin", "/admin/users/u-handlerA/password-link", nil)
	if w.Code != http.StatusOK || linkRE.FindStringSubmatch(w.Body.String()) == nil {
		t.Fatalf("password link: %d\n%s", w.Code, w.Body)
	}
	if m := linkRE.FindStringSubmatch(w.Body.String()); !strings.HasPrefix(m[1], "http://example.com/set-password/") {
		t.Errorf("the link %q is not at the browser's host", m[1])
	}
	b.srv.cfg.PublicURL = "https://khoso.example.gov.vn/"
	w = b.post(t, "admin", "/admin/users/u-handlerA/password-link", nil)
	if m := linkRE.FindStringSubmatch(w.Body.String()); m != nil {
		t.Errorf("with a public URL the link pattern still matches http: %q", m[1])
	}
	mustContain(t, w, `value="https://khoso.example.gov.vn/set-password/`)
	w = b.post(t, "admin", "/admin/users/u-handlerB/password-link", nil)
	if w.Code != http.StatusBadRequest {
		t.Errorf("link for a user without login: %d", w.Code)
	}
	mustContain(t, w, "Người dùng này không có tên đăng nhập")
	if n := b.auditActions(t)["password-link/ok"]; n != 2 {
		t.Errorf("password-link audited %d times", n)
	}
}

// TestAdminAgencies: codes in use are listed unnamed until registered,
// with their counts; a bad code or a missing name is refused.
func TestAdminAgencies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.record(t, []byte("%PDF-1.7 a"))
	w := b.page(t, "admin", "/admin/agencies")
	mustContain(t, w, `data-agency="A"`, `data-agency="B"`, "chưa đặt tên / not named", `href="/admin/agencies?code=A#agency-form"`,
		`<a href="/admin/users?agency=A">2</a>`, `data-agency="KHOSO"`)
	w = b.post(t, "admin", "/admin/agencies", url.Values{"code": {"A"}, "name_vi": {"Sở Tài nguyên <và> Môi trường"}, "name_en": {"Department of Environment"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("register: %d %s", w.Code, w.Body)
	}
	w = b.page(t, "admin", "/admin/agencies")
	mustContain(t, w, "Sở Tài nguyên &lt;và&gt; Môi trường", "Department of Environment")
	if n := strings.Count(w.Body.String(), "chưa đặt tên / not named"); n != 2 {
		t.Errorf("%d unnamed codes, want B and KHOSO", n)
	}
	mustContain(t, b.page(t, "admin", "/admin/agencies?code=A"), `value="Department of Environment"`)
	for _, f := range []url.Values{
		{"code": {"A B"}, "name_vi": {"x"}},
		{"code": {strings.Repeat("A", 65)}, "name_vi": {"x"}},
		{"code": {"C"}, "name_vi": {""}},
		{"code": {"C"}, "name_vi": {strings.Repeat("x", 301)}},
	} {
		if w := b.post(t, "admin", "/admin/agencies", f); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `role="alert"`) {
			t.Errorf("agency %v: %d", f, w.Code)
		}
	}
	if n := b.auditActions(t)["agency/ok"]; n != 1 {
		t.Errorf("agency audited %d times", n)
	}
}

// TestAdminStatus: the status screen shows readiness with its reason, the
// queue by state, storage, records by status, and links the queue UI.
func TestAdminStatus(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) {
		c.Ready = func(context.Context) error { return errors.New("signing key: token <removed>") }
		c.QueueStats = func(context.Context) ([]QueueCount, error) {
			return []QueueCount{{Queue: "sign", State: "retryable", Count: 3}, {Queue: "default", State: "available", Count: 7}}, nil
		}
		c.Storage = func(context.Context) (StorageInfo, error) {
			return StorageInfo{Kind: "local disk /srv/blobs", FreeBytes: 3 << 30, TotalBytes: 10 << 30}, nil
		}
		c.StorageFault = func() error { return nil }
		c.QueueUI = http.NotFoundHandler()
		c.Dialect, c.Version = "sqlite", "v1.2.3"
	})
	b.record(t, []byte("%PDF-1.7 s"))
	w := b.page(t, "admin", "/admin/status")
	if w.Code != http.StatusOK {
		t.Fatalf("status: %d", w.Code)
	}
	mustContain(t, w, "Chưa sẵn sàng", "signing key: token &lt;removed&gt;", "<code>sign</code>", "chờ thử lại", ">3<", ">7<",
		"local disk /srv/blobs", "3.0 / 10.0 GiB", `href="/riverui/"`, "sẵn sàng</td><td class=\"number\">1<", "v1.2.3", ">sqlite<")
	w = b.page(t, "admin", "/admin/status?lang=en")
	mustContain(t, w, "Not ready", "retryable", "Open the queue UI")
}

// TestAdminHome: the admin's home screen and navigation link the admin
// screens; other roles' do not.
func TestAdminHome(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.page(t, "admin", "/")
	mustContain(t, w, `<a href="/admin/users">`, `<a href="/admin/agencies">`, `<a href="/admin/status">`)
	if strings.Contains(b.page(t, "handlerA", "/").Body.String(), "/admin/") {
		t.Error("a handler's home links the admin screens")
	}
	mustContain(t, b.page(t, "admin", "/admin/status"), `<a href="/admin/status" aria-current="page">`)
}

// TestAdminCrossSite: an admin's browser sent a form from another site
// changes nothing.
func TestAdminCrossSite(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setLogin(t, "admin", "quantri", "mật khẩu quản trị 2026")
	cookie := b.signIn(t, "quantri", "mật khẩu quản trị 2026")
	for _, path := range []string{"/admin/users/u-clerkA/disable", "/admin/users/u-clerkA/tokens", "/admin/agencies"} {
		r := formRequest(path, url.Values{"name": {"x"}, "code": {"X"}, "name_vi": {"X"}})
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.Header.Set("Origin", "https://evil.example")
		if w := b.withCookie(t, cookie, r); w.Code != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d", path, w.Code)
		}
	}
	if u, _ := b.cat.User(context.Background(), "u-clerkA"); u.Disabled() {
		t.Error("a cross-site form disabled a user")
	}
	if tokens, _ := b.cat.Tokens(context.Background(), "u-clerkA"); len(tokens) != 1 {
		t.Errorf("a cross-site form made a token: %+v", tokens)
	}
}
