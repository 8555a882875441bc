package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// jobLog is an ingest.EnqueueFunc that keeps the kinds it was given.
type jobLog struct {
	mu    sync.Mutex
	kinds []string
}

func (l *jobLog) enqueue(ctx context.Context, tx archive.CatalogTx, args river.JobArgs) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.kinds = append(l.kinds, args.Kind())
	return nil
}

func (l *jobLog) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.kinds, ",")
}

// setupReview is setup with a real Intake over the bundle's catalog, whose
// jobs are only logged, and a clerk of agency B.
func setupReview(tb testing.TB) (*testBundle, *jobLog) {
	jobs := &jobLog{}
	b := setup(tb, func(c *Config) {
		in, err := ingest.NewIntake(ingest.IntakeConfig{Catalog: c.Catalog, Blobs: c.Blobs, Enqueue: jobs.enqueue})
		if err != nil {
			tb.Fatal(err)
		}
		c.Intake = in
	})
	b.addUser(tb, archive.User{Name: "clerkB", Role: archive.RoleClerk, Agency: "B"})
	return b, jobs
}

// waiting stores a record of agency A waiting for its metadata: its
// manifest row had 31/02 as the issue date.
func (b *testBundle) waiting(tb testing.TB) *archive.Record {
	tb.Helper()
	rec := b.record(tb, []byte("%PDF-unused"))
	rec.Status, rec.Result, rec.Size = archive.StatusNeedsMetadata, "", 0
	rec.Reason = `dòng 2, cột issued_on: ngày "31/02/2024" không hợp lệ / row 2, column issued_on: invalid date "31/02/2024"`
	rec.ReasonField = "issued_on"
	rec.Meta.IssuedOn = time.Time{}
	rec.Meta.ScannedBy = "Lê Thị Hoa"
	rec.Pages = []archive.Page{{N: 1, Name: "1.jpg"}, {N: 2, Name: "2.jpg"}}
	ctx := context.Background()
	if err := b.cat.Update(ctx, func(tx archive.CatalogTx) error { return tx.UpdateRecord(ctx, rec) }); err != nil {
		tb.Fatal(err)
	}
	return rec
}

// metaForm is the metadata form filled with m's values.
func metaForm(m archive.Metadata) url.Values {
	v := url.Values{}
	for k, val := range metaValues(m) {
		v.Set(k, val)
	}
	return v
}

// TestCompleteForm: the form of a record waiting for metadata shows the
// manifest's fault next to its field with the page thumbnails; a wrong
// date comes back with the message beside the field and what was typed
// kept; a right one completes the record, which goes on to assemble.
func TestCompleteForm(t *testing.T) {
	t.Parallel()
	b, jobs := setupReview(t)
	rec := b.waiting(t)
	w := b.page(t, "clerkA", "/records/"+rec.ID+"/edit")
	if w.Code != http.StatusOK {
		t.Fatalf("edit page: %d %s", w.Code, w.Body)
	}
	mustContain(t, w, `id="f-issued_on"`, `aria-invalid="true" aria-describedby="e-issued_on"`,
		`id="e-issued_on">dòng 2, cột issued_on`, `src="/api/v1/records/`+rec.ID+`/pages/2/thumb"`,
		`href="/api/v1/records/`+rec.ID+`/pages/1/preview"`, `value="Giấy phép môi trường"`, "Lưu và ký số")
	if strings.Contains(w.Body.String(), `name="reason"`) {
		t.Error("completing a record asks for a reason")
	}

	form := metaForm(rec.Meta)
	form.Set("issued_on", "31/02/2024")
	form.Set("summary", hostileName)
	w = b.post(t, "clerkA", "/records/"+rec.ID+"/metadata", form)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("bad date: %d", w.Code)
	}
	mustContain(t, w, `aria-invalid="true" aria-describedby="e-issued_on"`, `id="e-issued_on">ngày &#34;31/02/2024&#34; không hợp lệ`,
		`value="31/02/2024"`, "&lt;script&gt;", `role="alert"`)
	if strings.Contains(w.Body.String(), hostileName) {
		t.Error("the summary typed became markup")
	}
	form.Set("issued_on", "")
	w = b.post(t, "clerkA", "/records/"+rec.ID+"/metadata?lang=en", form)
	mustContain(t, w, `id="e-issued_on">required value is missing`)

	form.Set("issued_on", "29/02/2024")
	w = b.post(t, "clerkA", "/records/"+rec.ID+"/metadata", form)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/records/"+rec.ID {
		t.Fatalf("completing: %d %q %s", w.Code, w.Header().Get("Location"), w.Body)
	}
	got, err := b.cat.Record(context.Background(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != archive.StatusNormalised || got.Reason != "" || got.Meta.IssuedOn.Format("02/01/2006") != "29/02/2024" ||
		got.Meta.Summary != hostileName || got.Meta.ScannedBy != "Lê Thị Hoa" {
		t.Fatalf("completed record %s %q %+v", got.Status, got.Reason, got.Meta)
	}
	if jobs.all() != "assemble" {
		t.Fatalf("jobs %q, want assemble", jobs.all())
	}
	if cs, _ := b.cat.Corrections(context.Background(), rec.ID); len(cs) != 0 {
		t.Fatalf("completing made corrections: %+v", cs)
	}
}

// TestCorrectionForm: correcting an available record needs a reason; the
// record page then shows the signed value beside the corrected one, with
// who, when and why, and the API lists the correction.
func TestCorrectionForm(t *testing.T) {
	t.Parallel()
	b, jobs := setupReview(t)
	rec := b.recordMeta(t, permit("12/GP-UBND", "Nguyễn Văn Đức"))
	w := b.page(t, "clerkA", "/records/"+rec.ID)
	mustContain(t, w, `href="/records/`+rec.ID+`/edit"`)
	if strings.Contains(b.page(t, "handlerA", "/records/"+rec.ID).Body.String(), "/edit") {
		t.Error("a handler is offered the metadata form")
	}
	w = b.page(t, "clerkA", "/records/"+rec.ID+"/edit")
	mustContain(t, w, `name="reason"`, `value="12/GP-UBND"`, `value="05/03/2024"`)

	form := metaForm(rec.Meta)
	form.Set("number", "13/GP-UBND")
	w = b.post(t, "clerkA", "/records/"+rec.ID+"/metadata", form)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("no reason: %d", w.Code)
	}
	mustContain(t, w, `aria-describedby="e-reason"`, `id="e-reason">cần ghi lý do sửa thông tin`, `value="13/GP-UBND"`)
	form.Set("reason", "Sai số ký hiệu khi nhập")
	w = b.post(t, "clerkA", "/records/"+rec.ID+"/metadata", form)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("correcting: %d %s", w.Code, w.Body)
	}
	if jobs.all() != "reindex" {
		t.Fatalf("jobs %q, want reindex", jobs.all())
	}
	w = b.page(t, "clerkA", "/records/"+rec.ID)
	mustContain(t, w, `id="corrections"`, `<span class="signed">12/GP-UBND</span> → <strong>13/GP-UBND</strong>`,
		"clerkA", "Sai số ký hiệu khi nhập", "&#43;07:00", `id="number">13/GP-UBND`)

	w = b.page(t, "citizen", "/api/v1/records/"+rec.ID+"/corrections")
	var cs []archive.Correction
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &cs) != nil || len(cs) != 1 ||
		cs[0].Before.Number != "12/GP-UBND" || cs[0].After.Number != "13/GP-UBND" || cs[0].CorrectedBy != "u-clerkA" ||
		cs[0].Reason != "Sai số ký hiệu khi nhập" {
		t.Fatalf("corrections: %d %s", w.Code, w.Body)
	}
}

// TestPutMetadata: the API corrects with a reason (and refuses without
// one, naming the field), and answers another agency's clerk as if the
// record did not exist.
func TestPutMetadata(t *testing.T) {
	t.Parallel()
	b, _ := setupReview(t)
	rec := b.record(t, []byte("%PDF"))
	body := func(number, reason string) string {
		m := rec.Meta
		m.Number = number
		data, _ := json.Marshal(MetadataUpdate{Metadata: m, Reason: reason})
		return string(data)
	}
	put := func(payload string) *http.Request {
		return jsonRequest(http.MethodPut, "/api/v1/records/"+rec.ID+"/metadata", payload)
	}
	w := b.do(t, "clerkA", put(body("13/GP", "")))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(),
		`"cột reason: cần ghi lý do sửa thông tin / column reason: a reason for the correction is required"`) {
		t.Fatalf("PUT without a reason: %d %s", w.Code, w.Body)
	}
	w = b.do(t, "clerkA", put(body("", "x")))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "column number") {
		t.Fatalf("PUT without a number: %d %s", w.Code, w.Body)
	}
	w = b.do(t, "clerkA", put(body("13/GP", strings.Repeat("x", 501))))
	if w.Code != http.StatusBadRequest {
		t.Fatalf("PUT with a long reason: %d %s", w.Code, w.Body)
	}
	for _, path := range []string{"/records/" + rec.ID + "/edit", "/api/v1/records/" + rec.ID + "/corrections"} {
		if w := b.page(t, "clerkB", path); w.Code != http.StatusNotFound {
			t.Errorf("clerk of agency B GET %s: %d", path, w.Code)
		}
	}
	if w := b.do(t, "clerkB", put(body("13/GP", "x"))); w.Code != http.StatusNotFound {
		t.Errorf("clerk of agency B PUT: %d", w.Code)
	}
	if w := b.post(t, "clerkB", "/records/"+rec.ID+"/metadata", metaForm(rec.Meta)); w.Code != http.StatusNotFound {
		t.Errorf("clerk of agency B POST form: %d", w.Code)
	}
	w = b.do(t, "clerkA", put(body("13/GP", "sai số")))
	var got RecordView
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.Meta.Number != "13/GP" {
		t.Fatalf("PUT with a reason: %d %s", w.Code, w.Body)
	}
	var found bool
	b.cat.AuditEvents(context.Background(), 0, func(e *archive.AuditEvent) error {
		found = found || e.Action == "edit" && e.Object == rec.ID && strings.Contains(e.Detail, "sai số")
		return nil
	})
	if !found {
		t.Error("the correction was not audited with its reason")
	}
}

// TestReviewPage: a clerk sees their agency's documents that failed or
// wait for metadata, with batch, row, reason and a link; not another
// agency's, nor available ones.
func TestReviewPage(t *testing.T) {
	t.Parallel()
	b, _ := setupReview(t)
	wait := b.waiting(t)
	avail := b.record(t, []byte("%PDF"))
	w := b.page(t, "clerkA", "/review")
	if w.Code != http.StatusOK {
		t.Fatalf("review: %d %s", w.Code, w.Body)
	}
	mustContain(t, w, `id="review-`+wait.ID+`"`, wait.BatchID, `href="/records/`+wait.ID+`/edit"`,
		"chờ bổ sung thông tin", "31/02/2024", `<td class="number">2</td>`)
	if strings.Contains(w.Body.String(), avail.ID) {
		t.Error("an available record is listed for review")
	}
	if w := b.page(t, "clerkB", "/review"); strings.Contains(w.Body.String(), wait.ID) || w.Code != http.StatusOK {
		t.Errorf("clerk of agency B: %d, lists A's record: %t", w.Code, strings.Contains(w.Body.String(), wait.ID))
	}
	if w := b.page(t, "admin", "/review"); !strings.Contains(w.Body.String(), wait.ID) {
		t.Error("the admin does not see the record")
	}
	mustContain(t, b.page(t, "clerkA", "/"), `href="/review"`, "Giấy tờ cần xử lý")
	if w := b.page(t, "handlerA", "/review"); w.Code != http.StatusForbidden {
		t.Errorf("handler /review: %d", w.Code)
	}
}
