package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestVerifyPageInBrowser opens a copy's public verification page in
// Chromium, reads what was issued, uploads the copy through the page's form
// and reads the verdict.
func TestVerifyPageInBrowser(t *testing.T) {
	requireTool(t, "chromium", "chromium")
	t.Parallel()
	a := setupAccess(t)
	handler := *a.testBundle
	handler.token = a.tokens["handlerA"]
	pdf := filepath.Join(t.TempDir(), "copy.pdf")
	code, out, errOut := handler.khoso(t, "copy", a.record, "--for", "Sở Xây dựng", "-o", pdf)
	if code != 0 {
		t.Fatalf("copy: %s%s", out, errOut)
	}
	vcode := strings.TrimSpace(out)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	if err := chromedp.Do(bctx, chromedp.Navigate(a.url+"/verify/"+vcode+"?lang=en")); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	number, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("number")))
	if err != nil || number != "88/GP-BTNMT" {
		t.Errorf("page shows number %q (%v), want 88/GP-BTNMT", number, err)
	}
	form, _ := chromedp.Run(bctx, chromedp.Text(chromedp.ID("form")))
	if form != "SAO Y" {
		t.Errorf("page shows form %q, want SAO Y", form)
	}
	err = chromedp.Do(bctx,
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="file"]`), []string{pdf}),
		chromedp.Submit(chromedp.CSS("form")),
		chromedp.WaitVisible(chromedp.ID("result")))
	if err != nil {
		t.Fatalf("upload through the form: %v", err)
	}
	verdict, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("result")))
	if err != nil || !strings.Contains(verdict, "GENUINE") {
		t.Errorf("verdict %q (%v), want GENUINE", verdict, err)
	}
}
