package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/web"
)

// journeys is a server with one user of each kind, each with a login and a
// password, and three records ingested by a clerk of agency BTNMT: the
// citizen "own"'s permit, another holder's, and one of own's whose
// metadata holds markup.
type journeys struct {
	*testBundle
	cat                 *sqlstore.Store // the server's catalog, read beside it
	nss                 string          // an NSS database trusting the development CA
	passwords           map[string]string
	users               map[string]*archive.User
	own, other, hostile string // record IDs
	// the hostile record's metadata
	hostileName, hostileIssuer, hostileHolder, hostileSummary string
}

// journeyCopies are the codes of the copies the handler issued: an extract
// of the own record and a full copy of the hostile one.
type journeyCopies struct{ extract, hostile string }

func setupJourneys(t *testing.T) *journeys {
	b := startServer(t, t.TempDir(), nil)
	j := &journeys{testBundle: b, passwords: map[string]string{}, users: map[string]*archive.User{},
		hostileName:    "Giấy phép " + hostileScript,
		hostileIssuer:  "UBND " + hostileImg,
		hostileHolder:  "Lê Thị Mai " + hostileImg,
		hostileSummary: "Trích yếu " + hostileScript + " " + hostileImg}
	tokens := map[string]string{}
	pwDir := t.TempDir()
	for _, u := range accessUsers {
		pw := "mật khẩu của " + u.name
		file := filepath.Join(pwDir, u.name)
		if err := os.WriteFile(file, []byte(pw+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"user", "add", "--role", u.role, "--name", u.name, "--login", u.name, "--password-file", file}
		if u.agency != "" {
			args = append(args, "--agency", u.agency)
		}
		if u.holder != "" {
			args = append(args, "--holder-id", u.holder)
		}
		code, out, errOut := b.khoso(t, args...)
		if code != 0 {
			t.Fatalf("user add %s: %s", u.name, errOut)
		}
		j.passwords[u.name], tokens[u.name] = pw, strings.TrimSpace(out)
	}

	dir := t.TempDir()
	rows := [][]string{
		{"duc", "Giấy phép môi trường", "88/GP-BTNMT", "Bộ Tài nguyên và Môi trường", "001088012345", "Nguyễn Văn Đức", "Xả nước thải vào nguồn nước"},
		{"binh", "Giấy phép môi trường", "89/GP-BTNMT", "Bộ Tài nguyên và Môi trường", "079190004321", "Trần Thị Bình", "Khai thác nước dưới đất"},
		{"mai", j.hostileName, "90/GP-BTNMT", j.hostileIssuer, "001088012345", j.hostileHolder, j.hostileSummary},
	}
	var m strings.Builder
	m.WriteString("\uFEFF")
	w := csv.NewWriter(&m)
	w.Write([]string{"Tệp", "Mã loại giấy tờ", "Tên giấy tờ", "Số, ký hiệu", "Ngày cấp", "Cơ quan cấp", "Số định danh",
		"Tên chủ hồ sơ", "Trích yếu", "Thời hạn hiệu lực"})
	for _, r := range rows {
		writePermitScans(t, dir, permit{file: r[0], number: r[2], holder: "Nguyễn Văn Đức", holderID: r[4], issued: "01/01/2024", pages: 2})
		w.Write([]string{r[0], "GPMT", r[1], r[2], "01/01/2024", r[3], r[4], r[5], r[6], "31/12/2035"})
	}
	w.Flush()
	manifest := filepath.Join(dir, "manifest.csv")
	if err := os.WriteFile(manifest, []byte(m.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	clerk := *b
	clerk.token = tokens["clerkA"]
	code, out, errOut := clerk.khoso(t, "ingest", dir, "--manifest", manifest, "--wait")
	lines := batchLines(out)
	if code != 0 || len(lines) != 3 {
		t.Fatalf("clerk ingest: %d %s %s", code, out, errOut)
	}
	j.own, j.other, j.hostile = lines[2][0], lines[3][0], lines[4][0]

	db, err := sqlstore.OpenSQLite(filepath.Join(b.data, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if j.cat, err = sqlstore.New(sqlstore.Config{DB: db, Dialect: sqlstore.SQLiteDialect}); err != nil {
		t.Fatal(err)
	}
	for name, token := range tokens {
		if j.users[name], err = j.cat.UserByToken(context.Background(), web.TokenHash(token)); err != nil {
			t.Fatal(err)
		}
	}
	j.nss = nssWithCA(t, filepath.Join(b.data, "signing", "ca.pem"))
	return j
}

// copies returns how many copies record id has.
func (j *journeys) copies(t *testing.T, id string) int {
	t.Helper()
	cps, err := j.cat.Copies(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return len(cps)
}

// auditRows returns the audit entries that match.
func (j *journeys) auditRows(t *testing.T, match func(*archive.AuditEvent) bool) []archive.AuditEvent {
	t.Helper()
	var out []archive.AuditEvent
	err := j.cat.AuditEvents(context.Background(), 0, func(e *archive.AuditEvent) error {
		if match(e) {
			out = append(out, *e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// search submits q in the search box until the index, which follows the
// catalog's change log, answers with hits; it returns their numbers.
func (b *browserSession) search(q string) []string {
	b.t.Helper()
	var numbers []string
	for range 50 {
		b.run("search "+q, chromedp.Navigate(b.url+"/search"), chromedp.WaitVisible(chromedp.CSS("#q")),
			chromedp.SendKeys(chromedp.CSS("#q"), q), chromedp.Submit(chromedp.CSS("#search-form")),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#q[value=%q]`, q))))
		if numbers = texts(b, "#hits li .number"); len(numbers) > 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	return numbers
}

// handlerJourney: handlerA signs in, finds the own record by an unaccented
// name and both of the holder's by the holder ID, opens the record and a
// page, issues an extract of page 2, downloads it and the result and has
// pdfsig and qpdf check them, copies the hostile record, is refused a copy
// posted from another origin, and signs out.
func handlerJourney(b *browserSession, j *journeys) journeyCopies {
	t := b.t
	b.run("open the sign-in page", chromedp.Navigate(b.url+"/"), chromedp.WaitVisible(chromedp.CSS("#login")))
	b.check("login")
	b.signIn("handlerA", j.passwords["handlerA"])
	if got := b.text("#user-name"); got != "handlerA" {
		t.Errorf("header names %q, want handlerA", got)
	}
	b.check("home-handler")

	if hits := b.search("nguyen van duc"); !slices.Equal(hits, []string{"88/GP-BTNMT"}) {
		t.Fatalf("unaccented name: hits %q, want only 88/GP-BTNMT", hits)
	}
	b.check("search")
	hits := b.search("001088012345")
	slices.Sort(hits)
	if !slices.Equal(hits, []string{"88/GP-BTNMT", "90/GP-BTNMT"}) {
		t.Errorf("holder ID: hits %q, want the holder's two records", hits)
	}
	b.inert("search by holder ID", j.hostileName, j.hostileHolder, j.hostileIssuer)
	b.check("search-holder")

	b.run("open the record", chromedp.Click(chromedp.CSS(`#hits li h3 a[href="/records/`+j.own+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#copy-form")))
	if got := b.text("#number"); got != "88/GP-BTNMT" {
		t.Errorf("record page shows number %q", got)
	}
	if widths := imagesLoaded(b, "#thumbs img"); len(widths) != 2 || slices.Contains(widths, 0) {
		t.Errorf("page thumbnails' widths %v, want two loaded images", widths)
	}
	b.run("the page picker shows for an extract only", chromedp.WaitNotVisible(chromedp.CSS("#pages-picker")),
		chromedp.Click(chromedp.CSS("#form-trich")), chromedp.WaitVisible(chromedp.CSS("#pages-picker")))
	b.check("record")

	b.run("open page 2", chromedp.Click(chromedp.CSS(`#thumbs a[href$="/pages/2"]`)), chromedp.WaitVisible(chromedp.CSS("#preview")))
	if widths := imagesLoaded(b, "#preview"); len(widths) != 1 || widths[0] == 0 {
		t.Errorf("page preview's width %v, want a loaded image", widths)
	}
	b.check("page")
	b.run("back to the record", chromedp.Click(chromedp.CSS("#back")), chromedp.WaitVisible(chromedp.CSS("#copy-form")))

	b.run("issue a trích sao of page 2",
		chromedp.Click(chromedp.CSS("#form-trich")),
		chromedp.Click(chromedp.CSS(`input[name="page"][value="2"]`)),
		chromedp.SendKeys(chromedp.CSS("#for"), "Sở Xây dựng"),
		chromedp.Click(chromedp.CSS("#issue")),
		chromedp.WaitVisible(chromedp.CSS("#copy-code")))
	var codes journeyCopies
	codes.extract = b.text("#copy-code")
	if codes.extract == "" {
		t.Fatal("no verification code shown")
	}
	if got := b.text("#copies tbody"); !strings.Contains(got, codes.extract) || !strings.Contains(got, "TRÍCH SAO") {
		t.Errorf("copy history %q lacks the extract %s", got, codes.extract)
	}
	b.check("copy-issued")
	pdfFile := func(name string, body []byte) string {
		f := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	href := eval[string](b, `document.getElementById("copy-pdf").getAttribute("href")`)
	checkPDF(t, pdfFile("extract.pdf", b.fetch(href)), j.nss, 1, copySigs)
	checkPDF(t, pdfFile("result.pdf", b.fetch(eval[string](b, `document.getElementById("pdf-link").getAttribute("href")`))),
		j.nss, 2, resultSigs)

	// The hostile record, and a copy of it for whom markup says.
	if code := b.open("/records/"+j.hostile, chromedp.WaitVisible(chromedp.CSS("#copy-form"))); code != http.StatusOK {
		t.Fatalf("hostile record page: %d", code)
	}
	b.run("issue a sao y of the hostile record",
		chromedp.SendKeys(chromedp.CSS("#for"), hostileImg+" "+hostileScript),
		chromedp.Click(chromedp.CSS("#issue")),
		chromedp.WaitVisible(chromedp.CSS("#copy-code")))
	codes.hostile = b.text("#copy-code")
	b.inert("hostile record page", j.hostileName, j.hostileHolder, j.hostileIssuer, j.hostileSummary, hostileImg+" "+hostileScript)
	b.check("record-hostile")

	crossOriginPost(b, j, "/records/"+j.own+"/copies", "", `<input name="form" value="sao-y"><input name="for" value="Kẻ gian">`)
	if n := j.copies(t, j.own); n != 1 {
		t.Errorf("the own record has %d copies after a cross-origin copy form, want the one extract", n)
	}

	b.open("/", chromedp.WaitVisible(chromedp.CSS("#user-name")))
	old := b.cookie()
	b.signOut()
	if c := b.cookie(); c != "" {
		t.Errorf("the browser still holds a session cookie after signing out")
	}
	b.setCookie(old)
	if code := b.open("/search?q=x", chromedp.WaitVisible(chromedp.CSS("#login"))); code != http.StatusUnauthorized {
		t.Errorf("the old cookie after signing out: %d, want 401 and the sign-in page", code)
	}
	if got := b.text("#error"); !strings.Contains(got, "sign in again") {
		t.Errorf("the sign-in page after signing out says %q, want that the session ended", got)
	}
	b.check("signed-out")
	return codes
}

// crossOriginPost serves, from a second server (another origin), a page
// whose form posts fields to path on khoso as soon as it loads, while the
// browser holds a khoso session, and asserts khoso answered 403.
func crossOriginPost(b *browserSession, j *journeys, path, enctype, fields string) {
	b.t.Helper()
	if enctype != "" {
		enctype = ` enctype="` + enctype + `"`
	}
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>win a prize</title><body onload="document.forms[0].submit()">
<form method="post" action="%s%s"%s>%s</form></body></html>`, j.url, path, enctype, fields)
	}))
	defer evil.Close()
	b.mu.Lock()
	delete(b.statuses, path)
	b.mu.Unlock()
	b.run("open a page of another origin", chromedp.Navigate(evil.URL))
	if code := b.status(path); code != http.StatusForbidden {
		b.t.Errorf("a form posted to %s from %s with the session cookie: %d, want 403", path, evil.URL, code)
	}
}

// citizenJourney: own signs in, sees their two documents and not the other
// holder's, whose record page is not found; shares the permit until a date
// and revokes it; sees what the handler did; is refused a share posted
// from another origin; signs out.
func citizenJourney(b *browserSession, j *journeys) {
	t := b.t
	b.signIn("own", j.passwords["own"])
	if code := b.open("/me", chromedp.WaitVisible(chromedp.CSS("article.doc"))); code != http.StatusOK {
		t.Fatalf("/me: %d", code)
	}
	docs := texts(b, "article.doc .number")
	slices.Sort(docs)
	if !slices.Equal(docs, []string{"88/GP-BTNMT", "90/GP-BTNMT"}) {
		t.Errorf("my documents: %q, want 88 and 90, not the other holder's 89", docs)
	}
	if n := eval[int](b, `document.querySelectorAll('a[href="/records/`+j.other+`"]').length`); n != 0 {
		t.Errorf("my documents link to another holder's record")
	}
	b.inert("my documents", j.hostileName, j.hostileIssuer)
	b.check("me")
	if code := b.open("/records/"+j.other, chromedp.WaitVisible(chromedp.CSS("main h1"))); code != http.StatusNotFound {
		t.Errorf("another holder's record page: %d, want 404", code)
	}
	b.check("not-found")

	b.open("/me", chromedp.WaitVisible(chromedp.CSS("article.doc")))
	until := time.Now().AddDate(0, 1, 0).Format("02/01/2006")
	doc := `article[aria-labelledby="doc-` + j.own + `"] `
	b.run("share",
		chromedp.Click(chromedp.CSS(doc+"details.share summary")),
		chromedp.SendKeys(chromedp.CSS(doc+`input[name="agency"]`), "UBND-HN"),
		chromedp.SendKeys(chromedp.CSS(doc+`input[name="dossier"]`), "000.00.01.H26-261203-0001"),
		chromedp.SendKeys(chromedp.CSS(doc+`input[name="until"]`), until),
		chromedp.Click(chromedp.CSS(doc+".share-form button")),
		chromedp.WaitVisible(chromedp.CSS("#shares")))
	if got := b.text("#shares tbody"); !strings.Contains(got, "UBND-HN") || !strings.Contains(got, until) || !strings.Contains(got, "đang chia sẻ") {
		t.Errorf("shares %q", got)
	}
	b.check("me-shared")
	b.run("revoke", chromedp.Click(chromedp.CSS("#shares button.danger")), chromedp.WaitNotPresent(chromedp.CSS("#shares button.danger")))
	if got := b.text("#shares .state"); !strings.Contains(got, "đã thu hồi") {
		t.Errorf("after revoking the share is %q", got)
	}

	b.open("/me/access", chromedp.WaitVisible(chromedp.CSS("#access")))
	rows := texts(b, "#access tbody tr")
	for _, want := range []string{"xem", "tải về", "cấp bản sao (TRÍCH SAO)"} {
		if !slices.ContainsFunc(rows, func(r string) bool {
			return strings.Contains(r, "cán bộ giải quyết") && strings.Contains(r, want) && strings.Contains(r, "88/GP-BTNMT")
		}) {
			t.Errorf("who accessed my documents lacks the handler's %q of 88/GP-BTNMT: %q", want, rows)
		}
	}
	b.inert("who accessed my documents", j.hostileName)
	b.check("me-access")

	crossOriginPost(b, j, "/api/v1/records/"+j.own+"/shares", "text/plain",
		`<input name='{"agency":"EVIL","dossier_code":"X","until":"2099-01-01","x":"' value='"}'>`)
	shares, err := j.cat.Shares(context.Background(), "001088012345")
	if err != nil {
		t.Fatal(err)
	}
	if len(shares) != 1 || shares[0].Agency != "UBND-HN" {
		t.Errorf("shares after a cross-origin text/plain post: %+v, want only the one to UBND-HN", shares)
	}
	b.open("/me", chromedp.WaitVisible(chromedp.CSS("article.doc")))
	b.signOut()
}

// auditorJourney: the auditor signs in and filters the log by actor, by
// action and by record, seeing exactly the matching entries.
func auditorJourney(b *browserSession, j *journeys, codes journeyCopies) {
	t := b.t
	b.signIn("auditor", j.passwords["auditor"])
	// The screen verifies the chain as khoso audit verify does: with the
	// agency certificate, the signed checkpoints and the newest anchor.
	b.open("/audit", chromedp.WaitVisible(chromedp.CSS("#chain-state")))
	if got := b.text("#chain-state"); !strings.Contains(got, "Toàn vẹn") {
		t.Errorf("the audit screen says of the chain: %q", got)
	}
	handler := j.users["handlerA"].ID
	for _, f := range []struct {
		field, value string
		cell         string // the column every row shows the value in
		match        func(*archive.AuditEvent) bool
	}{
		{"actor", handler, "td:nth-child(3) code", func(e *archive.AuditEvent) bool { return e.Actor == handler }},
		{"action", "copy", "td:nth-child(4)", func(e *archive.AuditEvent) bool { return e.Action == "copy" }},
		{"record", j.own, "td:nth-child(5) code", func(e *archive.AuditEvent) bool { return e.Object == j.own }},
	} {
		b.open("/audit", chromedp.WaitVisible(chromedp.CSS("#audit-form")))
		b.run("filter by "+f.field, chromedp.SendKeys(chromedp.CSS("#"+f.field), f.value),
			chromedp.Click(chromedp.CSS("#audit-form button")),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#%s[value=%q]`, f.field, f.value))))
		want := j.auditRows(t, f.match)
		seqs := texts(b, "#audit tbody td:nth-child(1)")
		var wantSeqs []string
		for _, e := range want[:min(len(want), 50)] {
			wantSeqs = append(wantSeqs, fmt.Sprint(e.Seq))
		}
		if len(want) == 0 || !slices.Equal(seqs, wantSeqs) {
			t.Errorf("audit by %s %s: entries %v, want %v", f.field, f.value, seqs, wantSeqs)
		}
		cells := texts(b, "#audit tbody "+f.cell)
		first := ""
		if len(cells) > 0 {
			first = cells[0]
		}
		for _, c := range cells {
			if c != first || (f.field != "action" && c != f.value) {
				t.Errorf("audit by %s %s shows a row with %q", f.field, f.value, c)
				break
			}
		}
		if f.field == "action" {
			if first != "cấp bản sao" {
				t.Errorf("audit by action copy shows %q", first)
			}
			body := b.text("#audit tbody")
			if !strings.Contains(body, codes.extract) || !strings.Contains(body, codes.hostile) {
				t.Errorf("audit of copies lacks the codes %s and %s", codes.extract, codes.hostile)
			}
			b.inert("audit of copies", hostileImg, hostileScript)
			b.check("audit")
		} else {
			b.check("audit-" + f.field)
		}
	}
	b.signOut()
}

// verifyJourney: anyone opens the verify pages of the extract and of the
// hostile record's copy.
func verifyJourney(b *browserSession, codes journeyCopies) {
	t := b.t
	b.open("/verify/"+codes.extract, chromedp.WaitVisible(chromedp.CSS("#issued")))
	if got := b.text("#form"); got != "TRÍCH SAO" {
		t.Errorf("verify page shows form %q, want TRÍCH SAO", got)
	}
	b.check("verify")
	b.open("/verify/"+codes.hostile, chromedp.WaitVisible(chromedp.CSS("#issued")))
	b.inert("verify page of the hostile copy", "Giấy phép "+hostileScript, "UBND "+hostileImg)
	b.check("verify-hostile")
	// The detectors are live: a dialog is seen, and so is an image made
	// from markup.
	eval[chromedp.Void](b, `setTimeout(() => alert("probe"), 0)`)
	for range 50 {
		if b.mu.Lock(); len(b.dialogs) > 0 {
			b.mu.Unlock()
			break
		}
		b.mu.Unlock()
		time.Sleep(100 * time.Millisecond)
	}
	b.mu.Lock()
	seen := slices.Equal(b.dialogs, []string{"probe"})
	b.dialogs = nil
	b.mu.Unlock()
	if !seen {
		t.Error("an alert() the test opened was not seen: the dialog checks above prove nothing")
	}
	if n := eval[int](b, `document.body.insertAdjacentHTML("beforeend", '<img src=x alt="">'), document.querySelectorAll('img[src="x"]').length`); n != 1 {
		t.Error("an image made from markup is not found: the checks above prove nothing")
	}
	// The checker is live: an image without a text alternative is found.
	found := eval[bool](b, `(() => { const i = document.createElement("img"); i.src = "/x.png"; document.body.append(i);
		return axe.run(document).then(r => r.violations.some(v => v.id === "image-alt")); })()`)
	if !found {
		t.Error("axe-core does not find an image without alt: the accessibility checks above prove nothing")
	}
}
