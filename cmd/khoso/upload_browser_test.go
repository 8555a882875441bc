package main

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestClerkUploadInBrowser: a records clerk signs in with a password,
// chooses a folder of scans with its manifest inside on the upload screen,
// sends it, and watches every document of the batch page reach its end
// without the page reloading; the upload screen, the batch page and the
// list of batches are checked with axe-core and photographed.
func TestClerkUploadInBrowser(t *testing.T) {
	requireTool(t, "chromium", "chromium")
	t.Parallel()
	srv := startServer(t, t.TempDir(), nil)
	addClerkLogin(t, srv, "Lê Thị Hoa", "UBND-HN", "hoa", "mật khẩu của Hoa")
	folder := filepath.Join(t.TempDir(), "lo-1")
	writeBatch(t, folder, []permit{
		{file: "gp-88", number: "88/GP-BTNMT", holder: "Nguyễn Văn Đức", holderID: "001088012345", issued: "17/05/2023", pages: 2},
		{file: "gp-89", number: "89/GP-BTNMT", holder: "Trần Thị Bình", holderID: "079190004321", issued: "18/05/2023", pages: 1},
	}, "khong-co,GPMT,Giấy phép môi trường,90/GP-BTNMT,19/05/2023,Bộ Tài nguyên và Môi trường,001,Lê Văn Cường,x,31/12/2035")

	b := newBrowser(t, srv.url, screenshotDir(t))
	b.run("sign in", chromedp.Navigate(srv.url+"/login?next=/batches/new"), chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "hoa"), chromedp.SendKeys(chromedp.ID("password"), "mật khẩu của Hoa"),
		chromedp.Submit(chromedp.ID("password")), chromedp.WaitVisible(chromedp.ID("upload-form")))
	if got := b.text("#user-name"); got != "Lê Thị Hoa" {
		t.Errorf("signed in as %q", got)
	}
	if got := b.text("#limit"); !strings.Contains(got, "8 GiB") {
		t.Errorf("the limit says %q", got)
	}
	b.check("upload")

	// The folder input gets the folder as a person's choice gives it.
	b.run("choose the folder", chromedp.SetUploadFiles(chromedp.ID("folder"), []string{folder}))
	var names []string
	for range 50 { // Chromium lists the folder after answering
		if names = eval[[]string](b, `[...document.getElementById("folder").files].map(f => f.webkitRelativePath || f.name).sort()`); len(names) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	want := []string{"lo-1/gp-88/trang-1.jpg", "lo-1/gp-88/trang-2.jpg", "lo-1/gp-89/trang-1.jpg", "lo-1/manifest.csv"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("the folder input holds %v, want %v", names, want)
	}
	if got := b.text("#picked"); !strings.HasPrefix(got, "4 tệp, tổng") {
		t.Errorf("before sending the page says %q, want the count and size", got)
	}
	// What the progress bar said while sending is kept across the page change.
	eval[chromedp.Void](b, `void (() => { const send = XMLHttpRequest.prototype.send;
		XMLHttpRequest.prototype.send = function (body) {
			this.upload.addEventListener("progress", () => sessionStorage.setItem("progress",
				document.getElementById("upload-progress").value + "/" + document.getElementById("upload-progress").max + " " +
				document.getElementById("progress-text").textContent));
			return send.call(this, body);
		}; })()`)
	b.run("send", chromedp.Click(chromedp.ID("send")), chromedp.WaitVisible(chromedp.ID("docs")))
	if got := eval[string](b, `sessionStorage.getItem("progress") || ""`); !regexp.MustCompile(`^(\d+)/(\d+) .* \(\d+%\)$`).MatchString(got) ||
		!strings.HasPrefix(got, strings.SplitN(strings.SplitN(got, " ", 2)[0], "/", 2)[1]+"/") {
		t.Errorf("the progress bar said %q while sending, want every byte sent", got)
	} else {
		t.Logf("the progress bar said %s", got)
	}
	url := eval[string](b, `location.pathname`)
	if !strings.HasPrefix(url, "/batches/b") {
		t.Fatalf("after sending the browser is at %s", url)
	}
	// A mark in the page survives only if the page is never loaded again.
	eval[chromedp.Void](b, `void (window.khosoSamePage = "yes")`)
	loads := eval[int](b, `performance.getEntriesByType("navigation").length`)

	deadline := time.Now().Add(2 * time.Minute)
	for {
		if eval[bool](b, `document.getElementById("docs").dataset.final === "1"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch page never finished: %s", b.text("#docs tbody"))
		}
		time.Sleep(300 * time.Millisecond)
	}
	if got := eval[string](b, `window.khosoSamePage || "reloaded"`); got != "yes" {
		t.Fatalf("the batch page was loaded again (%s) instead of updating in place", got)
	}
	if n := eval[int](b, `performance.getEntriesByType("navigation").length`); n != loads {
		t.Errorf("%d navigations, then %d", loads, n)
	}
	states := eval[[]string](b, `[...document.querySelectorAll("#docs tbody tr")].map(tr => tr.dataset.status + " " +
		tr.querySelector(".status-text").textContent + " " + tr.querySelector(".reason").textContent)`)
	if len(states) != 3 || !strings.HasPrefix(states[0], "available sẵn sàng") || !strings.HasPrefix(states[1], "available sẵn sàng") ||
		!strings.HasPrefix(states[2], "failed lỗi") || !strings.Contains(states[2], `không tìm thấy tệp "khong-co"`) ||
		strings.Contains(states[2], "not found") {
		t.Errorf("rows at the end: %q", states)
	}
	if got := b.text("#live"); !strings.HasPrefix(got, "Lô đã xử lý xong.") || !strings.Contains(got, "2 sẵn sàng") {
		t.Errorf("the live region says %q", got)
	}
	if n := eval[int](b, `document.querySelectorAll("#docs tbody tr .step.done").length`); n != 12 {
		t.Errorf("%d steps shown done, want 12 (2 documents × 6)", n)
	}
	if !eval[bool](b, `!!document.getElementById("retry")`) {
		t.Error("the batch page, updated in place, does not offer to send the failed row again")
	}
	b.check("batch")

	b.run("open the batches", chromedp.Navigate(srv.url+"/batches"), chromedp.WaitVisible(chromedp.ID("batches")))
	if got := b.text("#batches tbody"); !strings.Contains(got, strings.TrimPrefix(url, "/batches/")) || !strings.Contains(got, "2 sẵn sàng") {
		t.Errorf("the batches list: %q", got)
	}
	b.check("batches")
	// The failed row is offered again, on a form that says to choose the files again.
	b.run("open the batch again", chromedp.Navigate(srv.url+url), chromedp.WaitVisible(chromedp.ID("retry")))
	b.run("send the failed rows again", chromedp.Click(chromedp.ID("retry")), chromedp.WaitVisible(chromedp.ID("retry-rows")))
	if got := b.text("#retry-rows"); got != "4" {
		t.Errorf("the retry form sends rows %q, want 4", got)
	}
	b.check("retry")
	b.run("open the one-document form", chromedp.Navigate(srv.url+"/batches/new/one"), chromedp.WaitVisible(chromedp.ID("one-form")))
	b.check("one-document")
	sendOneDocument(b, filepath.Join(folder, "gp-89", "trang-1.jpg"))
	dropFolder(b)
	uploadWithoutScript(b, folder)
	t.Logf("screenshots in %s", b.dir)
}

// sendOneDocument types one document into its form with an impossible
// date, reads the mistake next to the field, corrects it, chooses the page
// again and follows the one-row batch to its end.
func sendOneDocument(b *browserSession, page string) {
	t := b.t
	b.run("type one document", chromedp.SendKeys(chromedp.ID("f-doc_name"), "Giấy phép môi trường"),
		chromedp.SendKeys(chromedp.ID("f-number"), "91/GP-BTNMT"), chromedp.SendKeys(chromedp.ID("f-issued_on"), "31/02/2024"),
		chromedp.SendKeys(chromedp.ID("f-issuer"), "Bộ Tài nguyên và Môi trường"), chromedp.SendKeys(chromedp.ID("f-holder_name"), "Đỗ Thị Lan"),
		chromedp.SetUploadFiles(chromedp.ID("pages"), []string{page}), chromedp.Click(chromedp.ID("send")),
		chromedp.WaitVisible(chromedp.ID("e-issued_on")))
	if got := b.text("#e-issued_on"); !strings.Contains(got, "31/02/2024") || !strings.Contains(got, "dd/mm/yyyy") {
		t.Errorf("the date's mistake says %q", got)
	}
	if got := eval[string](b, `document.getElementById("f-holder_name").value`); got != "Đỗ Thị Lan" {
		t.Errorf("the form kept holder %q", got)
	}
	b.check("one-document-mistake")
	b.run("correct and send", chromedp.SetValue(chromedp.ID("f-issued_on"), "29/02/2024"),
		chromedp.SetUploadFiles(chromedp.ID("pages"), []string{page}), chromedp.Click(chromedp.ID("send")),
		chromedp.WaitVisible(chromedp.ID("docs")))
	for deadline := time.Now().Add(time.Minute); !eval[bool](b, `document.getElementById("docs").dataset.final === "1"`); {
		if time.Now().After(deadline) {
			t.Fatalf("the one document never finished: %s", b.text("#docs tbody"))
		}
		time.Sleep(300 * time.Millisecond)
	}
	if got := b.text("#docs tbody"); !strings.Contains(got, "91/GP-BTNMT") || !strings.Contains(got, "sẵn sàng") {
		t.Errorf("the one document's batch: %q", got)
	}
}

// dropFolder drops a folder on the upload screen's drop zone (entries made
// in the page: a test cannot drag from the desktop) and reads what the
// form would send: every file under it, named from the folder's own name,
// as the folder input names them, read past readEntries' pages of 100.
func dropFolder(b *browserSession) {
	t := b.t
	b.run("open the upload form", chromedp.Navigate(b.url+"/batches/new"), chromedp.WaitVisible(chromedp.ID("drop")))
	sent := eval[[]string](b, `new Promise(resolve => {
		const file = (dir, name) => ({ isFile: true, isDirectory: false, name, fullPath: dir + "/" + name,
			file: ok => ok(new File(["scan of " + name], name)) });
		const folder = (path, children) => ({ isFile: false, isDirectory: true, name: path.split("/").pop(), fullPath: path,
			createReader: () => { let at = 0; return { readEntries: ok => { const page = children.slice(at, at + 100); at += 100; setTimeout(() => ok(page)); } }; } });
		const many = [...Array(150).keys()].map(i => file("/lo-2/p1", "trang-" + (i + 1) + ".jpg"));
		const root = folder("/lo-2", [file("/lo-2", "manifest.csv"), folder("/lo-2/p1", many), folder("/lo-2/p2", [file("/lo-2/p2", "a.tif")])]);
		const drop = new Event("drop", { cancelable: true });
		drop.dataTransfer = { items: [{ webkitGetAsEntry: () => root }] };
		XMLHttpRequest.prototype.send = function (data) { resolve([...data.entries()].map(([k, v]) => k + " " + (v.name || v))); };
		document.getElementById("drop").dispatchEvent(drop);
		const wait = () => document.getElementById("picked").textContent ? document.getElementById("send").click() : setTimeout(wait, 50);
		wait();
	})`)
	if len(sent) != 152 || !slices.Contains(sent, "folder lo-2/manifest.csv") || !slices.Contains(sent, "folder lo-2/p1/trang-150.jpg") ||
		!slices.Contains(sent, "folder lo-2/p2/a.tif") {
		t.Errorf("a dropped folder is sent as %d parts: %.300q", len(sent), sent)
	}
	if got := b.text("#picked"); !strings.HasPrefix(got, "152 tệp, tổng") {
		t.Errorf("after the drop the page says %q", got)
	}
}

// uploadWithoutScript sends folder through the upload form with scripts
// off: the browser's own folder upload names the files as the script does,
// and the batch page says how to follow it.
func uploadWithoutScript(b *browserSession, folder string) {
	t := b.t
	scripts := func(off bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
			return err
		})
	}
	b.run("turn scripts off", scripts(true))
	defer b.run("turn scripts on", scripts(false))
	b.run("open the upload form", chromedp.Navigate(b.url+"/batches/new"), chromedp.WaitVisible(chromedp.ID("upload-form")),
		chromedp.SetUploadFiles(chromedp.ID("folder"), []string{folder}))
	for i := 0; eval[int](b, `document.getElementById("folder").files.length`) != 4; i++ { // listed after answering
		if i == 50 {
			t.Fatal("the folder input never listed the folder")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !eval[bool](b, `document.getElementById("drop").hidden`) {
		t.Fatal("the page's script ran: the drop zone is shown")
	}
	b.run("send without a script", chromedp.Click(chromedp.ID("send")), chromedp.WaitVisible(chromedp.ID("docs")))
	pages := b.text("#docs tbody")
	if !strings.Contains(pages, "88/GP-BTNMT") || strings.Count(pages, "không tìm thấy tệp") != 1 {
		t.Errorf("the batch sent without a script: %q", pages)
	}
	time.Sleep(1500 * time.Millisecond)
	if eval[bool](b, `document.getElementById("refresh-p").hidden`) || b.text("#refresh") != "Làm mới" {
		t.Error("without a script the batch page offers no way to follow it")
	}
}
