package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// axeScript is axe-core as `make axe` installs it from the lock file.
const axeScript = "../../web/testdata/axe/node_modules/axe-core/axe.min.js"

// browserSession drives one Chromium tab over a server, signing in with a
// user's token as an Authorization header, taking screenshots and running
// axe-core on every screen.
type browserSession struct {
	t    *testing.T
	ctx  context.Context
	url  string
	axe  string
	dir  string // where screenshots go
	shot int
}

// as makes the tab send token on every request ("" for none).
func (b *browserSession) as(token string) {
	b.t.Helper()
	h := network.Headers{}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	b.run("set the token", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: h})
		return err
	}))
}

// run runs actions, failing the test with what was being done.
func (b *browserSession) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the text of the element sel selects.
func (b *browserSession) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// eval returns what script evaluates to in the page, awaiting a promise.
func eval[T any](b *browserSession, script string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](script, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %.60s: %v", script, err)
	}
	return v
}

// check screenshots the screen at 1280 and 360 px wide, asserts that it
// does not overflow the narrow one, and that axe-core finds no serious or
// critical violation at either width.
func (b *browserSession) check(name string) {
	b.t.Helper()
	for _, width := range []int64{1280, 360} {
		b.run(fmt.Sprintf("%s at %d px", name, width), chromedp.EmulateViewport(width, 800))
		overflow := eval[bool](b, `document.documentElement.scrollWidth > window.innerWidth`)
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			b.t.Fatalf("screenshot %s: %v", name, err)
		}
		if !eval[bool](b, `typeof axe !== "undefined"`) {
			eval[chromedp.Void](b, b.axe)
		}
		// Serious and critical violations fail the test; the others are logged.
		violations := eval[[]string](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
			.map(v => v.impact + " " + v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", ")))`)
		b.shot++
		file := filepath.Join(b.dir, fmt.Sprintf("%02d-%s-%d.png", b.shot, name, width))
		if err := os.WriteFile(file, png, 0o644); err != nil {
			b.t.Fatal(err)
		}
		if overflow && width == 360 {
			wide := eval[[]string](b, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 &&
				!(e.parentElement && e.parentElement.getBoundingClientRect().right > window.innerWidth + 1)).slice(0, 5)
				.map(e => e.tagName + "." + e.className + "#" + e.id + " right=" + Math.round(e.getBoundingClientRect().right))`)
			b.t.Errorf("%s is wider than 360 px (%s): %v", name, file, wide)
		}
		for _, v := range violations {
			if strings.HasPrefix(v, "serious ") || strings.HasPrefix(v, "critical ") {
				b.t.Errorf("%s at %d px: axe: %s", name, width, v)
			} else {
				b.t.Logf("%s at %d px: axe: %s", name, width, v)
			}
		}
	}
	b.run("back to the wide screen", chromedp.EmulateViewport(1280, 800))
}

// newBrowser starts Chromium for a test over the server at url, with
// axe-core loaded for check. Screenshots go to $KHOSO_SCREENSHOTS, else a
// temp dir.
func newBrowser(t *testing.T, url string) *browserSession {
	t.Helper()
	requireTool(t, "chromium", "chromium")
	axe, err := os.ReadFile(axeScript)
	if err != nil {
		t.Fatalf("axe-core is needed to check the pages: run `make axe` (npm ci in web/testdata/axe): %v", err)
	}
	dir := os.Getenv("KHOSO_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	return &browserSession{t: t, ctx: bctx, url: url, axe: string(axe), dir: dir}
}

// TestAppInBrowser drives the HTML application in Chromium on the
// embedded default: a case handler searches, opens the record and issues
// an extract (trích sao) of page 2; the citizen shares the document and
// revokes the share and sees who accessed it; an auditor reads the log;
// anyone verifies the copy. Every screen is checked with axe-core and
// photographed at 1280 and 360 px ($KHOSO_SCREENSHOTS, else a temp dir).
func TestAppInBrowser(t *testing.T) {
	requireTool(t, "chromium", "chromium")
	t.Parallel()
	a := setupAccess(t)
	b := newBrowser(t, a.url)

	code := handlerIssuesExtract(b, a)
	citizenSharesAndRevokes(b, a)

	b.as(a.tokens["auditor"])
	b.run("open the audit log", chromedp.Navigate(a.url+"/audit?action=copy"), chromedp.WaitVisible(chromedp.CSS("#audit")))
	if got := b.text("#audit tbody"); !strings.Contains(got, code) {
		t.Errorf("audit log of copies: %q lacks the code %s", got, code)
	}
	b.check("audit")

	b.as("")
	b.run("open the verify page", chromedp.Navigate(a.url+"/verify/"+code), chromedp.WaitVisible(chromedp.CSS("#issued")))
	if got := b.text("#form"); got != "TRÍCH SAO" {
		t.Errorf("verify page shows form %q, want TRÍCH SAO", got)
	}
	b.check("verify")
	// The checker is live: an image without a text alternative is found.
	found := eval[bool](b, `(() => { const i = document.createElement("img"); i.src = "/x.png"; document.body.append(i);
		return axe.run(document).then(r => r.violations.some(v => v.id === "image-alt")); })()`)
	if !found {
		t.Error("axe-core does not find an image without alt: the accessibility checks above prove nothing")
	}
	t.Logf("screenshots in %s", b.dir)
}

// handlerIssuesExtract searches as handlerA, opens the hit and issues a
// trích sao of page 2 through the form; it returns the copy's code.
func handlerIssuesExtract(b *browserSession, a *accessBundle) string {
	t := b.t
	b.as(a.tokens["handlerA"])
	b.run("open home", chromedp.Navigate(a.url+"/"), chromedp.WaitVisible(chromedp.CSS("#user-name")))
	if got := b.text("#user-name"); got != "handlerA" {
		t.Errorf("header names %q, want handlerA", got)
	}
	b.check("home-handler")

	// The index follows the catalog's change log: the hit may take a moment.
	var hits int
	for range 50 {
		b.run("search", chromedp.Navigate(a.url+"/search"), chromedp.WaitVisible(chromedp.CSS("#q")),
			chromedp.SendKeys(chromedp.CSS("#q"), "nguyen van duc"), chromedp.Submit(chromedp.CSS("#search-form")),
			chromedp.WaitVisible(chromedp.CSS(`#q[value="nguyen van duc"]`)))
		hits = eval[int](b, `document.querySelectorAll("#hits li").length`)
		if hits > 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if hits != 1 {
		t.Fatalf("search shows %d hits, want 1", hits)
	}
	if got := b.text("#hits li .number"); got != "88/GP-BTNMT" {
		t.Errorf("hit shows number %q", got)
	}
	b.check("search")

	b.run("open the record", chromedp.Click(chromedp.CSS("#hits li h3 a")), chromedp.WaitVisible(chromedp.CSS("#copy-form")))
	if got := b.text("#number"); got != "88/GP-BTNMT" {
		t.Errorf("record page shows number %q", got)
	}
	b.run("the page picker shows for an extract only", chromedp.WaitNotVisible(chromedp.CSS("#pages-picker")),
		chromedp.Click(chromedp.CSS("#form-trich")), chromedp.WaitVisible(chromedp.CSS("#pages-picker")))
	b.check("record")

	b.run("issue a trích sao of page 2",
		chromedp.Click(chromedp.CSS(`input[name="page"][value="2"]`)),
		chromedp.SendKeys(chromedp.CSS("#for"), "Sở Xây dựng"),
		chromedp.Click(chromedp.CSS("#issue")),
		chromedp.WaitVisible(chromedp.CSS("#copy-code")))
	code := b.text("#copy-code")
	if code == "" {
		t.Fatal("no verification code shown")
	}
	if verify := eval[string](b, `document.getElementById("verify-link").getAttribute("href")`); verify != "/verify/"+code {
		t.Errorf("verify link %q, want /verify/%s", verify, code)
	}
	if got := b.text("#copies tbody"); !strings.Contains(got, code) || !strings.Contains(got, "TRÍCH SAO") {
		t.Errorf("copy history %q lacks the extract %s", got, code)
	}
	b.check("copy-issued")
	return code
}

// citizenSharesAndRevokes shares the document with agency UBND-HN as its
// holder, revokes the share, and reads who accessed the document.
func citizenSharesAndRevokes(b *browserSession, a *accessBundle) {
	t := b.t
	b.as(a.tokens["own"])
	b.run("open my documents", chromedp.Navigate(a.url+"/me"), chromedp.WaitVisible(chromedp.CSS("article.doc")))
	b.check("me")
	until := time.Now().AddDate(0, 1, 0).Format("02/01/2006")
	b.run("share",
		chromedp.Click(chromedp.CSS("details.share summary")),
		chromedp.SendKeys(chromedp.CSS(`.share-form input[name="agency"]`), "UBND-HN"),
		chromedp.SendKeys(chromedp.CSS(`.share-form input[name="dossier"]`), "000.00.01.H26-261203-0001"),
		chromedp.SendKeys(chromedp.CSS(`.share-form input[name="until"]`), until),
		chromedp.Click(chromedp.CSS(".share-form button")),
		chromedp.WaitVisible(chromedp.CSS("#shares")))
	if got := b.text("#shares tbody"); !strings.Contains(got, "UBND-HN") || !strings.Contains(got, until) || !strings.Contains(got, "đang chia sẻ") {
		t.Errorf("shares %q", got)
	}
	b.check("me-shared")
	b.run("revoke", chromedp.Click(chromedp.CSS("#shares button.danger")), chromedp.WaitNotPresent(chromedp.CSS("#shares button.danger")))
	if got := b.text("#shares .state"); !strings.Contains(got, "đã thu hồi") {
		t.Errorf("after revoking the share is %q", got)
	}
	if buttons := eval[int](b, `document.querySelectorAll("#shares button").length`); buttons != 0 {
		t.Errorf("a revoked share still has %d revoke buttons", buttons)
	}

	b.run("open who accessed", chromedp.Navigate(a.url+"/me/access"), chromedp.WaitVisible(chromedp.CSS("#access")))
	if got := b.text("#access tbody"); !strings.Contains(got, "cán bộ giải quyết") || !strings.Contains(got, "TRÍCH SAO") {
		t.Errorf("access page %q does not show the handler's copy", got)
	}
	b.check("me-access")
}
