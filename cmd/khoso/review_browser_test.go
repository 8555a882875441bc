package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestReviewInBrowser drives the review screens in Chromium as a clerk: the
// document whose row had 31/02 is listed, its form marks the date, an
// impossible date is caught before sending, a right one completes it; then
// a correction needs a reason and shows on the record page beside the
// signed value. Every screen is checked with axe-core at 1280 and 360 px.
func TestReviewInBrowser(t *testing.T) {
	requireTool(t, "chromium", "chromium")
	t.Parallel()
	srv := startServer(t, t.TempDir(), nil)
	token := addClerkLogin(t, srv, "Lê Thị Hoa", "KHOSO", "hoa", "mật khẩu của Hoa")
	clerk := *srv
	clerk.token = token
	dir := t.TempDir()
	writePermitScans(t, dir, permit{file: "sai-ngay", number: "55/GP-BTNMT", holder: "Đỗ Thị Lan", pages: 2})
	manifest := writeBatch(t, dir, nil,
		"sai-ngay,GPMT,Giấy phép môi trường,55/GP-BTNMT,31/02/2023,Bộ Tài nguyên và Môi trường,001200000055,Đỗ Thị Lan,,")
	code, out, errOut := clerk.khoso(t, "ingest", dir, "--manifest", filepath.Clean(manifest), "--wait")
	lines := batchLines(out)
	if code != 3 || len(lines) != 1 {
		t.Fatalf("ingest exited %d:\n%s\n%s", code, out, errOut)
	}
	id := lines[2][0]

	b := newBrowser(t, srv.url, screenshotDir(t))
	b.signIn("hoa", "mật khẩu của Hoa")
	b.run("open the review screen", chromedp.Navigate(srv.url+"/review"), chromedp.WaitVisible(chromedp.CSS("#review")))
	if got := b.text("#review-" + id); !strings.Contains(got, "31/02/2023") || !strings.Contains(got, "chờ bổ sung thông tin") {
		t.Errorf("review row %q", got)
	}
	b.check("review")

	b.run("open the form", chromedp.Click(chromedp.CSS("#review-"+id+" a")), chromedp.WaitVisible(chromedp.CSS("#meta-form")))
	if got := eval[string](b, `document.getElementById("f-issued_on").getAttribute("aria-invalid") || ""`); got != "true" {
		t.Errorf("the issue date is not marked invalid: %q", got)
	}
	loaded := `(() => { const imgs = [...document.querySelectorAll(".thumbs img")];
		return Promise.all(imgs.map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })))
			.then(() => imgs.filter(i => i.naturalWidth > 0).length); })()`
	if n := eval[int](b, loaded); n != 2 {
		t.Errorf("%d page thumbnails shown, want 2", n)
	}
	b.check("edit-waiting")

	eval[chromedp.Void](b, `document.getElementById("f-issued_on").value = "30/02/2023"`)
	b.run("send an impossible date", chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#e-issued_on")))
	if got := b.text("#e-issued_on"); !strings.Contains(got, "dd/mm/yyyy") {
		t.Errorf("inline date message %q", got)
	}
	if path := eval[string](b, `location.pathname`); path != "/records/"+id+"/edit" {
		t.Errorf("the form was sent with an impossible date: at %s", path)
	}
	b.check("edit-inline-error")

	b.run("fix the date", chromedp.SendKeys(chromedp.CSS("#f-issued_on"), "\b\b\b\b\b\b\b\b\b\b28/02/2023"))
	if !eval[bool](b, `document.getElementById("e-issued_on").hidden`) {
		t.Error("the date message stays once the date is fixed")
	}
	b.run("complete", chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#status")))
	for deadline := time.Now().Add(90 * time.Second); b.text("#status") != "sẵn sàng"; time.Sleep(300 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the completed document is %q", b.text("#status"))
		}
		b.run("reload", chromedp.Navigate(srv.url+"/records/"+id), chromedp.WaitVisible(chromedp.CSS("#status")))
	}

	b.run("open the correction form", chromedp.Click(chromedp.CSS("#edit-link")), chromedp.WaitVisible(chromedp.CSS("#f-reason")))
	eval[chromedp.Void](b, `document.getElementById("f-number").value = "56/GP-BTNMT"`)
	b.run("send without a reason", chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#e-reason")))
	b.check("edit-correction")
	b.run("correct", chromedp.SendKeys(chromedp.CSS("#f-reason"), "Nhập sai số ký hiệu"), chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#corrections")))
	if got := b.text("#corrections tbody"); !strings.Contains(got, "55/GP-BTNMT → 56/GP-BTNMT") ||
		!strings.Contains(got, "Nhập sai số ký hiệu") || !strings.Contains(got, "Lê Thị Hoa") {
		t.Errorf("corrections shown: %q", got)
	}
	if got := b.text("#number"); got != "56/GP-BTNMT" {
		t.Errorf("record page shows number %q", got)
	}
	b.check("record-corrected")
}
