package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/search"
)

// catalogIndex is a search index that answers from the catalog: every
// record in the query's scope whose text holds the query's words, by ID,
// with a doc-type facet; enough to drive the search screen.
type catalogIndex struct{ cat archive.Catalog }

func (x catalogIndex) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	var ids []string
	types := map[string]int{}
	err := x.cat.Records(ctx, func(rec *archive.Record) error {
		sc := q.Scope
		visible := sc.All || slices.Contains(sc.Agencies, rec.Agency) || slices.Contains(sc.HolderIDs, rec.Meta.HolderID) ||
			slices.Contains(sc.RecordIDs, rec.ID)
		text := strings.ToLower(rec.Meta.DocName + " " + rec.Meta.Number + " " + rec.Meta.HolderName)
		if !visible || !strings.Contains(text, strings.ToLower(q.Text)) || (q.DocType != "" && rec.Meta.DocTypeCode != q.DocType) {
			return nil
		}
		ids = append(ids, rec.ID)
		types[rec.Meta.DocTypeCode]++
		return nil
	})
	if err != nil {
		return nil, err
	}
	res := &search.Result{Total: uint64(len(ids)), Hits: []search.Hit{}, Facets: &search.Facets{}}
	for v, n := range types {
		res.Facets.DocType = append(res.Facets.DocType, search.FacetCount{Value: v, Count: n})
	}
	limit := q.Limit
	if limit == 0 {
		limit = search.DefaultLimit
	}
	for _, id := range ids[min(q.Offset, len(ids)):min(q.Offset+limit, len(ids))] {
		res.Hits = append(res.Hits, search.Hit{ID: id})
	}
	return res, nil
}

func (catalogIndex) Rebuild(ctx context.Context, docs search.DocsFunc) (search.BuildStats, error) {
	return search.BuildStats{}, nil
}

// withCatalogIndex makes the bundle's index answer from its catalog.
func withCatalogIndex(c *Config) { c.Index = catalogIndex{cat: c.Catalog} }

// hostile is metadata a clerk could type that must never become markup.
const (
	hostileName   = `<script>alert("x")</script>`
	hostileHolder = `"><img src=x onerror=alert(1)>`
)

// recordMeta stores an available record of agency A with metadata m and
// two pages, and returns it.
func (b *testBundle) recordMeta(tb testing.TB, m archive.Metadata) *archive.Record {
	tb.Helper()
	rec := b.record(tb, []byte("%PDF-1.7 "+m.Number))
	rec.Meta, rec.Pages = m, []archive.Page{{N: 1, Name: "1.tif"}, {N: 2, Name: "2.tif"}}
	ctx := context.Background()
	if err := b.cat.Update(ctx, func(tx archive.CatalogTx) error { return tx.UpdateRecord(ctx, rec) }); err != nil {
		tb.Fatal(err)
	}
	return rec
}

// page GETs path as user and returns the answer.
func (b *testBundle) page(tb testing.TB, user, path string) *httptest.ResponseRecorder {
	tb.Helper()
	return b.do(tb, user, httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends a same-origin form as user, from the page /form-page?x=1.
func (b *testBundle) post(tb testing.TB, user, path string, form url.Values) *httptest.ResponseRecorder {
	tb.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.Header.Set("Referer", "http://example.com/form-page?x=1")
	return b.do(tb, user, r)
}

func mustContain(tb testing.TB, w *httptest.ResponseRecorder, wants ...string) {
	tb.Helper()
	body := w.Body.String()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			tb.Errorf("page lacks %q:\n%.3000s", want, body)
		}
	}
}

func permit(number, holder string) archive.Metadata {
	return archive.Metadata{DocTypeCode: "GPMT", DocName: "Giấy phép môi trường", Number: number,
		IssuedOn: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), Issuer: "UBND tỉnh", HolderID: "001088012345", HolderName: holder}
}

// TestPageSignIn: a page without credentials sends the browser to sign in,
// coming back to it after; the API still answers 401 JSON.
func TestPageSignIn(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, path := range []string{"/", "/search?q=a%20b", "/me", "/audit", "/records/r-1"} {
		w := b.page(t, "", path)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login?next="+url.QueryEscape(path) {
			t.Errorf("GET %s without credentials: %d Location %q", path, w.Code, w.Header().Get("Location"))
		}
	}
	if w := b.page(t, "", "/api/v1/me/records"); w.Code != http.StatusUnauthorized || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("API without credentials: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
}

// TestPageRoles: a role that may not open a screen gets an HTML page
// saying so, in the page's language; a missing record is a 404 page.
func TestPageRoles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.page(t, "citizen", "/audit")
	if w.Code != http.StatusForbidden || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("citizen /audit: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	mustContain(t, w, `<html lang="vi">`, "vai trò của bạn không được phép")
	w = b.page(t, "citizen", "/audit?lang=en")
	mustContain(t, w, `<html lang="en">`, "your role may not do this")
	w = b.page(t, "handlerB", "/records/"+b.record(t, []byte("%PDF")).ID)
	if w.Code != http.StatusNotFound {
		t.Errorf("handler of another agency opens a record: %d", w.Code)
	}
	mustContain(t, w, "Không tìm thấy")
}

// TestHomePage lists what each role can do, with the user's name and role
// in the header.
func TestHomePage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for user, want := range map[string][]string{
		"handlerA": {`href="/search"`, "cán bộ giải quyết", "handlerA"},
		"citizen":  {`href="/me"`, `href="/me/access"`, "công dân"},
		"admin":    {`href="/search"`, `href="/audit"`},
	} {
		w := b.page(t, user, "/")
		if w.Code != http.StatusOK {
			t.Fatalf("%s /: %d %s", user, w.Code, w.Body)
		}
		mustContain(t, w, append(want, "khoso — Kho số", `<main id="main">`, `action="/logout"`)...)
	}
	if body := b.page(t, "citizen", "/").Body.String(); strings.Contains(body, `href="/audit"`) {
		t.Error("the citizen's home links to the audit log")
	}
}

// TestSearchPage: hits show number, name, holder, date and issuer, an
// expired one is marked, facets are links and pages follow each other.
func TestSearchPage(t *testing.T) {
	t.Parallel()
	b := setup(t, withCatalogIndex)
	for i := range 23 {
		b.recordMeta(t, permit("GP-"+string(rune('A'+i)), "Nguyễn Văn Đức"))
	}
	old := permit("OLD-1", "Trần Thị Hết")
	old.ValidUntil = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	b.recordMeta(t, old)

	w := b.page(t, "handlerA", "/search?q=old")
	if w.Code != http.StatusOK {
		t.Fatalf("search: %d %s", w.Code, w.Body)
	}
	mustContain(t, w, "OLD-1", "Trần Thị Hết", "05/03/2024", "UBND tỉnh", "Giấy phép môi trường", `class="mark-expired">hết hiệu lực`)
	mustContain(t, b.page(t, "handlerA", "/search?q=old&lang=en"), ">expired</span>", "Issued on")

	w = b.page(t, "handlerA", "/search?q=GP-")
	mustContain(t, w, "1–20 / 23", `href="/search?page=2&amp;q=GP-"`, `href="/search?q=GP-&amp;type=GPMT"`)
	w = b.page(t, "handlerA", "/search?q=GP-&page=2")
	mustContain(t, w, "21–23 / 23", `rel="prev"`)
	if strings.Contains(w.Body.String(), `rel="next"`) {
		t.Error("the last page links to a next one")
	}
	if w := b.page(t, "handlerB", "/search?q=GP-"); !strings.Contains(w.Body.String(), "Không có giấy tờ nào phù hợp") {
		t.Errorf("handler of agency B sees agency A's records:\n%.2000s", w.Body)
	}
	w = b.page(t, "handlerA", "/search?from=31/02/2024")
	if w.Code != http.StatusBadRequest {
		t.Errorf("a bad date: %d", w.Code)
	}
	mustContain(t, w, "dd/mm/yyyy", `role="alert"`)
}

// TestRecordPageIssuesCopy: the record page shows the record, issues an
// extract of the pages ticked, shows its code and lists it in the history.
func TestRecordPageIssuesCopy(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rec := b.recordMeta(t, permit("88/GP-BTNMT", "Nguyễn Văn Đức"))
	w := b.page(t, "handlerA", "/records/"+rec.ID)
	if w.Code != http.StatusOK {
		t.Fatalf("record page: %d %s", w.Code, w.Body)
	}
	mustContain(t, w, "88/GP-BTNMT", "Nguyễn Văn Đức", "sẵn sàng", "còn hiệu lực", "/api/v1/records/"+rec.ID+"/pdf",
		`name="page" value="2"`, `action="/records/`+rec.ID+`/copies"`, "Chưa cấp bản sao nào")

	w = b.post(t, "handlerA", "/records/"+rec.ID+"/copies", url.Values{"form": {"trich-sao"}, "page": {"2"}, "for": {"Sở Xây dựng"}})
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/records/"+rec.ID+"?copy=CODE-") {
		t.Fatalf("issue: %d %q %s", w.Code, loc, w.Body)
	}
	code := strings.TrimPrefix(loc, "/records/"+rec.ID+"?copy=")
	cps, _ := b.cat.Copies(t.Context(), rec.ID)
	if len(cps) != 1 || cps[0].Form != archive.FormTrichSao || !slices.Equal(cps[0].Pages, []int{2}) || cps[0].For != "Sở Xây dựng" {
		t.Fatalf("copies issued: %+v", cps)
	}
	w = b.page(t, "handlerA", loc)
	mustContain(t, w, `id="copy-code">`+code, `href="/verify/`+code+`"`, `href="/api/v1/copies/`+code+`/pdf"`, "TRÍCH SAO", "Sở Xây dựng")

	// What a form may get wrong is said on the form, which keeps its values.
	w = b.post(t, "handlerA", "/records/"+rec.ID+"/copies", url.Values{"form": {"trich-sao"}, "for": {"Sở Tư pháp"}})
	if w.Code != http.StatusBadRequest {
		t.Fatalf("an extract of no page: %d", w.Code)
	}
	mustContain(t, w, "trích sao cần chọn ít nhất một trang", `value="Sở Tư pháp"`, `href="/lang/en?next=%2fform-page%3fx%3d1"`)
	if w := b.post(t, "citizen", "/records/"+rec.ID+"/copies", url.Values{"form": {"sao-y"}, "for": {"x"}}); w.Code != http.StatusForbidden {
		t.Errorf("a citizen issues a copy: %d", w.Code)
	}
}

// TestPageScreen: the record page shows each page's thumbnail, linking to
// the page screen, which shows its preview with the pages on either side;
// a page out of range or out of scope is not found.
func TestPageScreen(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rec := b.recordMeta(t, permit("88/GP-BTNMT", "Nguyễn Văn Đức"))
	w := b.page(t, "citizen", "/records/"+rec.ID)
	mustContain(t, w, `<a href="/records/`+rec.ID+`/pages/2"><img src="/api/v1/records/`+rec.ID+`/pages/2/thumb" alt="Trang 2"`)
	w = b.page(t, "handlerA", "/records/"+rec.ID+"/pages/2")
	if w.Code != http.StatusOK {
		t.Fatalf("page screen: %d %s", w.Code, w.Body)
	}
	mustContain(t, w, `<img id="preview" class="preview" src="/api/v1/records/`+rec.ID+`/pages/2/preview" alt="Trang 2/2: Giấy phép môi trường"`,
		`href="/records/`+rec.ID+`/pages/1" rel="prev"`, `href="/records/`+rec.ID+`" id="back"`)
	if strings.Contains(w.Body.String(), `rel="next"`) {
		t.Error("the last page links to a next one")
	}
	for _, p := range []struct{ user, path string }{
		{"handlerA", "/records/" + rec.ID + "/pages/3"}, {"handlerA", "/records/" + rec.ID + "/pages/x"},
		{"handlerB", "/records/" + rec.ID + "/pages/1"},
	} {
		if w := b.page(t, p.user, p.path); w.Code != http.StatusNotFound {
			t.Errorf("%s as %s: %d, want 404", p.path, p.user, w.Code)
		}
	}
}

// TestMePageShareRevoke: the citizen sees their documents, shares one
// until a date typed dd/mm/yyyy and revokes it; the agency's handler sees
// it only while the share lasts.
func TestMePageShareRevoke(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) { c.Now = func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) } })
	rec := b.recordMeta(t, permit("88/GP-BTNMT", "Nguyễn Văn Đức"))
	w := b.page(t, "citizen", "/me")
	mustContain(t, w, "88/GP-BTNMT", "/api/v1/records/"+rec.ID+"/pdf", `action="/me/shares"`, "Bạn chưa chia sẻ giấy tờ nào")

	w = b.post(t, "citizen", "/me/shares", url.Values{"record": {rec.ID}, "agency": {"B"}, "dossier": {"000.00.01.H01-261203-0001"}, "until": {"31/12/2026"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/me" {
		t.Fatalf("share: %d %s", w.Code, w.Body)
	}
	if w := b.page(t, "handlerB", "/records/"+rec.ID); w.Code != http.StatusOK {
		t.Errorf("agency B's handler with a share: %d", w.Code)
	}
	w = b.page(t, "citizen", "/me")
	mustContain(t, w, "000.00.01.H01-261203-0001", "31/12/2026", "đang chia sẻ", "Thu hồi")
	shares, _ := b.cat.Shares(t.Context(), "001088012345")
	if len(shares) != 1 {
		t.Fatalf("shares: %+v", shares)
	}
	if w := b.post(t, "handlerA", "/me/shares/"+shares[0].ID+"/revoke", nil); w.Code != http.StatusForbidden {
		t.Errorf("a handler revokes a share: %d", w.Code)
	}
	w = b.post(t, "citizen", "/me/shares/"+shares[0].ID+"/revoke", nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", w.Code, w.Body)
	}
	mustContain(t, b.page(t, "citizen", "/me"), "đã thu hồi")
	if w := b.page(t, "handlerB", "/records/"+rec.ID); w.Code != http.StatusNotFound {
		t.Errorf("agency B's handler after the revoke: %d", w.Code)
	}

	w = b.post(t, "citizen", "/me/shares", url.Values{"record": {rec.ID}, "agency": {"B"}, "dossier": {"D"}, "until": {"01/01/2020"}})
	if w.Code != http.StatusBadRequest {
		t.Errorf("a share ending in the past: %d", w.Code)
	}
	mustContain(t, w, "trong tương lai", `role="alert"`)
}

// TestAccessPage: the citizen sees who viewed, downloaded or copied their
// documents, and nothing about other people's.
func TestAccessPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rec := b.recordMeta(t, permit("88/GP-BTNMT", "Nguyễn Văn Đức"))
	other := permit("99/GP", "Người Khác")
	other.HolderID = "079190004321"
	rec2 := b.recordMeta(t, other)
	b.page(t, "handlerA", "/records/"+rec.ID)
	b.page(t, "handlerA", "/records/"+rec2.ID)
	b.post(t, "handlerA", "/records/"+rec.ID+"/copies", url.Values{"form": {"sao-y"}, "for": {"Sở Xây dựng"}})
	w := b.page(t, "citizen", "/me/access")
	if w.Code != http.StatusOK {
		t.Fatalf("access: %d %s", w.Code, w.Body)
	}
	mustContain(t, w, "cán bộ giải quyết", "u-handlerA", ">xem<", "cấp bản sao (SAO Y)", "88/GP-BTNMT")
	if strings.Contains(w.Body.String(), "99/GP") {
		t.Error("the access page shows another holder's document")
	}
	mustContain(t, b.page(t, "citizen", "/me/access?lang=en"), "case handler", "viewed")
}

// TestAuditPage filters the log and pages through it by sequence number.
func TestAuditPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rec := b.recordMeta(t, permit("88/GP-BTNMT", "Nguyễn Văn Đức"))
	for range 55 {
		b.page(t, "handlerA", "/records/"+rec.ID)
	}
	b.page(t, "handlerB", "/records/"+rec.ID)
	b.addUser(t, archive.User{Name: "auditor", Role: archive.RoleAuditor})
	if w := b.page(t, "auditor", "/audit"); w.Code != http.StatusOK {
		t.Errorf("auditor: %d", w.Code)
	}
	w := b.page(t, "admin", "/audit?action=view&actor=u-handlerA")
	if w.Code != http.StatusOK {
		t.Fatalf("audit: %d %s", w.Code, w.Body)
	}
	if n := strings.Count(w.Body.String(), "<code>u-handlerA</code>"); n != auditPageSize {
		t.Errorf("first page shows %d entries, want %d", n, auditPageSize)
	}
	next := regexp.MustCompile(`href="(/audit\?[^"]*after=\d+[^"]*)" rel="next"`).FindStringSubmatch(w.Body.String())
	if next == nil {
		t.Fatalf("no next page link:\n%.2000s", w.Body)
	}
	w = b.page(t, "admin", strings.ReplaceAll(next[1], "&amp;", "&"))
	if n := strings.Count(w.Body.String(), "<code>u-handlerA</code>"); n != 5 {
		t.Errorf("second page shows %d entries, want 5", n)
	}
	w = b.page(t, "admin", "/audit?actor=u-handlerB")
	mustContain(t, w, "bị từ chối", "out of scope")
	w = b.page(t, "admin", "/audit?from=01/01/2099")
	mustContain(t, w, "Không có mục nào phù hợp")
	if w := b.page(t, "handlerA", "/audit"); w.Code != http.StatusForbidden {
		t.Errorf("a handler reads the audit log: %d", w.Code)
	}
}

// TestVerifyPageLayout: the public page needs no sign-in, keeps its ids,
// and speaks English when asked.
func TestVerifyPageLayout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rec := b.recordMeta(t, permit("88/GP-BTNMT", "Nguyễn Văn Đức"))
	cp, err := b.copier.Issue(t.Context(), copiesRequest(rec.ID))
	if err != nil {
		t.Fatal(err)
	}
	w := b.page(t, "", "/verify/"+cp.Code)
	if w.Code != http.StatusOK {
		t.Fatalf("verify page: %d", w.Code)
	}
	mustContain(t, w, `id="issued"`, `id="doc-name">Giấy phép môi trường`, `id="number">88/GP-BTNMT`, `id="form">SAO Y`,
		`id="sha256"`, "05/03/2024", "Mã xác thực", `<html lang="vi">`)
	if strings.Contains(w.Body.String(), "Nguyễn Văn Đức") {
		t.Error("the public page names the holder")
	}
	w = b.page(t, "", "/verify/"+cp.Code+"?lang=en")
	mustContain(t, w, "Verification code", `<html lang="en">`)
	if c := w.Result().Cookies(); len(c) != 1 || c[0].Name != "lang" || c[0].Value != "en" {
		t.Errorf("?lang=en sets cookies %v", c)
	}
	w = b.page(t, "", "/verify/NOPE")
	if w.Code != http.StatusNotFound {
		t.Errorf("unknown code: %d", w.Code)
	}
	mustContain(t, w, `id="result"`, "NOPE")
}

// TestLanguageSwitch: /lang/{lang} keeps the choice in a cookie and goes
// back, never to another site.
func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for next, want := range map[string]string{"/search?q=a": "/search?q=a", "//evil.example/": "/", "https://evil.example/": "/", "/\\evil": "/"} {
		w := b.page(t, "", "/lang/en?next="+url.QueryEscape(next))
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
			t.Errorf("next=%s: %d %q", next, w.Code, w.Header().Get("Location"))
		}
		if c := w.Result().Cookies(); len(c) != 1 || c[0].Value != "en" {
			t.Errorf("cookies %v", c)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: "lang", Value: "en"})
	w := b.do(t, "citizen", r)
	mustContain(t, w, `<html lang="en">`, "My documents", "Sign out", `href="/lang/vi?next=%2f"`)
}

// TestPagesEscapeMetadata: metadata holding markup shows as text on every
// screen.
func TestPagesEscapeMetadata(t *testing.T) {
	t.Parallel()
	b := setup(t, withCatalogIndex)
	m := permit(hostileHolder, hostileHolder)
	m.DocName, m.Issuer, m.Summary = hostileName, hostileHolder, hostileName
	rec := b.recordMeta(t, m)
	w := b.post(t, "handlerA", "/records/"+rec.ID+"/copies", url.Values{"form": {"sao-y"}, "for": {hostileHolder}})
	code := strings.TrimPrefix(w.Header().Get("Location"), "/records/"+rec.ID+"?copy=")
	b.post(t, "citizen", "/me/shares", url.Values{"record": {rec.ID}, "agency": {hostileHolder}, "dossier": {hostileName}, "until": {"31/12/2099"}})
	for _, p := range []struct{ user, path string }{
		{"handlerA", "/search?q=" + url.QueryEscape("<script>")}, {"handlerA", "/records/" + rec.ID + "?copy=" + code},
		{"citizen", "/me"}, {"citizen", "/me/access"}, {"admin", "/audit"}, {"", "/verify/" + code},
	} {
		body := b.page(t, p.user, p.path).Body.String()
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s renders markup from metadata:\n%.3000s", p.path, body)
		}
		if !strings.Contains(body, "&lt;script&gt;") && !strings.Contains(body, "&lt;img src=x") {
			t.Errorf("%s does not show the metadata as text:\n%.3000s", p.path, body)
		}
	}
}

// TestPagesScriptsAndAssets: pages load their script and style from
// versioned URLs cached for a year, under the policy that forbids inline
// script.
func TestPagesScriptsAndAssets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.page(t, "citizen", "/")
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q", csp)
	}
	body := w.Body.String()
	for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(tag, `src="/static/`) {
			t.Errorf("inline script %s", tag)
		}
	}
	for _, name := range []string{"app.css", "app.js"} {
		u := assetURL(name)
		if !strings.Contains(body, u) {
			t.Errorf("page does not load %s", u)
		}
		w := b.page(t, "", u)
		if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") || w.Body.Len() == 0 {
			t.Errorf("%s: %d %q", u, w.Code, w.Header().Get("Cache-Control"))
		}
		if w := b.page(t, "", "/static/000000000000/"+name); w.Code != http.StatusNotFound {
			t.Errorf("%s under a stale hash: %d", name, w.Code)
		}
	}
}

// TestMessagesComplete: every message says something in both languages.
func TestMessagesComplete(t *testing.T) {
	for key, m := range messages {
		if strings.TrimSpace(m.vi) == "" || strings.TrimSpace(m.en) == "" {
			t.Errorf("message %q: %+v", key, m)
		}
	}
}
