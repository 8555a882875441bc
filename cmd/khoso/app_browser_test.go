package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/khoso-vn/khoso/web"
)

// axeScript is axe-core as `make axe` installs it from the lock file.
const axeScript = "../../web/testdata/axe/node_modules/axe-core/axe.min.js"

// browserSession drives one Chromium tab over a server as people use it:
// signing in on /login, then carried by the session cookie alone. It takes
// screenshots and runs axe-core on every screen, and watches for what a
// page must never do (open a JavaScript dialog) and for the status of
// every document it loads.
type browserSession struct {
	t    *testing.T
	ctx  context.Context
	url  string
	axe  string
	dir  string // where screenshots go
	shot int

	mu       sync.Mutex
	dialogs  []string       // messages of the JavaScript dialogs opened
	statuses map[string]int // path → status of the last document loaded from it
}

// newBrowser starts Chromium with a tab on base; screenshots go to dir.
func newBrowser(t *testing.T, base, dir string) *browserSession {
	axe, err := os.ReadFile(axeScript)
	if err != nil {
		t.Fatalf("axe-core is needed to check the pages: run `make axe` (npm ci in web/testdata/axe): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	b := &browserSession{t: t, url: base, axe: string(axe), dir: dir, statuses: map[string]int{}}
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(cancelBrowser)
	b.ctx = bctx
	b.run("start the browser", func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
		return chromedp.Void{}, err
	})
	return b
}

// screenshotDir is where browser tests write their screenshots:
// $KHOSO_SCREENSHOTS, else a temporary folder.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("KHOSO_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// listen records dialogs (and dismisses them, so the page goes on) and the
// status of every document loaded from the server.
func (b *browserSession) listen(ev any) {
	switch ev := ev.(type) {
	case *page.EventJavascriptDialogOpening:
		b.mu.Lock()
		b.dialogs = append(b.dialogs, ev.Message)
		b.mu.Unlock()
		go chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
	case *network.EventResponseReceived:
		if ev.Type != network.ResourceTypeDocument || !strings.HasPrefix(ev.Response.URL, b.url+"/") {
			return
		}
		u, err := url.Parse(ev.Response.URL)
		if err != nil {
			return
		}
		b.mu.Lock()
		b.statuses[u.Path] = int(ev.Response.Status)
		b.mu.Unlock()
	}
}

// status waits up to 10 s for a document from path and returns its status.
func (b *browserSession) status(path string) int {
	b.t.Helper()
	for range 100 {
		b.mu.Lock()
		code, ok := b.statuses[path]
		b.mu.Unlock()
		if ok {
			return code
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("no document loaded from %s", path)
	return 0
}

// signIn signs in on the sign-in page as a person does: it types login and
// password and submits; the server's cookie carries the session after.
func (b *browserSession) signIn(login, password string) {
	b.t.Helper()
	b.run("open the sign-in page", chromedp.Navigate(b.url+"/login"), chromedp.WaitVisible(chromedp.CSS("#login")))
	b.run("sign in as "+login,
		chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#user-name")))
	if c := b.cookie(); c == "" {
		b.t.Fatalf("signed in as %s without a %s cookie", login, web.SessionCookie)
	}
}

// signOut presses the header's sign-out button and waits for the sign-in
// page.
func (b *browserSession) signOut() {
	b.t.Helper()
	b.run("sign out", chromedp.Click(chromedp.CSS(".who form button")), chromedp.WaitVisible(chromedp.CSS("#login")))
}

// cookie returns the value of the session cookie the browser holds ("" for
// none).
func (b *browserSession) cookie() string {
	b.t.Helper()
	var value string
	b.run("read the cookies", func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.url + "/"}})
		for _, c := range res.Cookies {
			if c.Name == web.SessionCookie {
				value = c.Value
			}
		}
		return chromedp.Void{}, err
	})
	return value
}

// setCookie makes the browser hold the session cookie value again.
func (b *browserSession) setCookie(value string) {
	b.t.Helper()
	b.run("set the session cookie", func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: web.SessionCookie, Value: value, URL: b.url + "/"})
		return chromedp.Void{}, err
	})
}

// fetch GETs path from the page, with the page's cookie, and returns the
// body; an answer other than 200 fails the test.
func (b *browserSession) fetch(path string) []byte {
	b.t.Helper()
	enc := eval[string](b, fmt.Sprintf(`fetch(%q).then(r => { if (!r.ok) throw new Error(%q + " answered " + r.status); return r.arrayBuffer(); })
		.then(buf => { const u = new Uint8Array(buf); let s = ""; for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000)); return btoa(s); })`, path, path))
	body, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		b.t.Fatalf("fetch %s: %v", path, err)
	}
	return body
}

// run runs actions, failing the test with what was being done.
func (b *browserSession) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to path and returns the status the server answered.
func (b *browserSession) open(path string, ready ...chromedp.Action[chromedp.Void]) int {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Navigate(b.url+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	b.run("wait for "+path, ready...)
	return int(resp.Status)
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

// texts returns the trimmed text of every element sel selects.
func texts(b *browserSession, sel string) []string {
	b.t.Helper()
	return eval[[]string](b, fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.textContent.trim())`, sel))
}

// imagesLoaded waits up to 10 s for the images sel selects to finish
// loading and returns their naturalWidths.
func imagesLoaded(b *browserSession, sel string) []int {
	b.t.Helper()
	return eval[[]int](b, fmt.Sprintf(`(async () => { const imgs = [...document.querySelectorAll(%q)];
		for (let i = 0; i < 100 && !imgs.every(i => i.complete); i++) await new Promise(r => setTimeout(r, 100));
		return imgs.map(i => i.naturalWidth); })()`, sel))
}

// Hostile metadata: markup that must reach the screen as text.
const (
	hostileScript = `<script>alert(1)</script>`
	hostileImg    = `"><img src=x onerror=alert(1)>`
)

// inert asserts that the screen rendered the hostile metadata as text:
// no dialog opened, no image from it exists, no inline script either, and
// each of shown appears literally in the page's text.
func (b *browserSession) inert(screen string, shown ...string) {
	b.t.Helper()
	b.mu.Lock()
	dialogs := b.dialogs
	b.mu.Unlock()
	if len(dialogs) > 0 {
		b.t.Errorf("%s: JavaScript dialogs opened: %q", screen, dialogs)
	}
	if n := eval[int](b, `document.querySelectorAll('img[src="x"], img[onerror], script:not([src])').length`); n != 0 {
		b.t.Errorf("%s: %d elements made from the metadata (img src=x, onerror, inline script)", screen, n)
	}
	body := eval[string](b, `document.body.innerText`)
	for _, s := range shown {
		if !strings.Contains(body, s) {
			b.t.Errorf("%s does not show %q as text:\n%.2000s", screen, s, body)
		}
	}
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

// TestAppInBrowser drives the HTML application in Chromium on the
// embedded default, each person signing in with a login and password on
// /login and carried by the session cookie alone: a case handler finds a
// record by an unaccented name and by a holder ID, opens it and a page
// preview, issues an extract (trích sao), downloads it and has pdfsig and
// qpdf check it, and signs out; the citizen sees only their documents,
// shares one and revokes the share, and sees who accessed it; an auditor
// filters the log by actor, action and record; anyone verifies a copy.
// Hostile metadata renders as text on every screen that shows it, and
// forms posted from another origin are refused. Every screen is checked
// with axe-core and photographed at 1280 and 360 px ($KHOSO_SCREENSHOTS,
// else a temp dir).
func TestAppInBrowser(t *testing.T) {
	requireTool(t, "chromium", "chromium")
	requireTool(t, "pdfsig", "poppler-utils")
	requireTool(t, "qpdf", "qpdf")
	requireTool(t, "certutil", "libnss3-tools")
	t.Parallel()
	j := setupJourneys(t)
	dir := screenshotDir(t)
	b := newBrowser(t, j.url, dir)

	var codes journeyCopies
	t.Run("Handler", func(t *testing.T) { b.t = t; codes = handlerJourney(b, j) })
	t.Run("Citizen", func(t *testing.T) { b.t = t; citizenJourney(b, j) })
	t.Run("Auditor", func(t *testing.T) { b.t = t; auditorJourney(b, j, codes) })
	t.Run("Verify", func(t *testing.T) { b.t = t; verifyJourney(b, codes) })
	t.Logf("screenshots in %s", dir)
}
