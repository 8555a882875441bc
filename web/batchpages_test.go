package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// recordingIntake is a real ingest.Intake over the bundle's catalog and
// blobs that starts no pipeline, and keeps every batch it was given.
type recordingIntake struct {
	*ingest.Intake
	mu  sync.Mutex
	got []ingest.BatchInput
}

func (ri *recordingIntake) Accept(ctx context.Context, in ingest.BatchInput) (*archive.Batch, error) {
	ri.mu.Lock()
	ri.got = append(ri.got, in)
	ri.mu.Unlock()
	return ri.Intake.Accept(ctx, in)
}

func (ri *recordingIntake) inputs() []ingest.BatchInput {
	ri.mu.Lock()
	defer ri.mu.Unlock()
	return slices.Clone(ri.got)
}

// withIntake makes the bundle's intake a recordingIntake, returned.
func withIntake(tb testing.TB, b **recordingIntake) func(*Config) {
	return func(c *Config) {
		in, err := ingest.NewIntake(ingest.IntakeConfig{Catalog: c.Catalog, Blobs: c.Blobs, SpoolDir: tb.TempDir(),
			Enqueue: func(context.Context, archive.CatalogTx, river.JobArgs) error { return nil }})
		if err != nil {
			tb.Fatal(err)
		}
		*b = &recordingIntake{Intake: in}
		c.Intake = *b
	}
}

// part is one part of a multipart upload.
type part struct{ field, filename, body string }

// multipartRequest is a same-origin POST of parts to path.
func multipartRequest(path string, parts ...part) *http.Request {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.filename != "" || strings.HasSuffix(p.field, "!") {
			p.field = strings.TrimSuffix(p.field, "!")
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.field, p.filename))
			h.Set("Content-Type", "application/octet-stream")
		} else {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q`, p.field))
		}
		w, _ := mw.CreatePart(h)
		io.WriteString(w, p.body)
	}
	mw.Close()
	data := body.Bytes()
	r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(data))
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return r
}

const folderManifest = "\uFEFFTệp,Tên giấy tờ,\"Số, ký hiệu\",Ngày cấp,Cơ quan cấp,Tên chủ hồ sơ\n" +
	"p1,Giấy phép môi trường,12/GP,05/03/2024,UBND tỉnh,Nguyễn Văn Đức\n" +
	"p2/trang-1.jpg,Giấy phép xây dựng,13/GP,06/03/2024,UBND tỉnh,Trần Thị Bình\n"

// folderParts is a folder "lo-1" as a browser's folder input sends it,
// with its manifest inside, and the empty parts of the inputs left empty.
var folderParts = []part{
	{"manifest!", "", ""},
	{"file!", "", ""},
	{"folder", "lo-1/p1/trang-2.jpg", "page 1.2"},
	{"folder", "lo-1/p1/trang-1.jpg", "page 1.1"},
	{"folder", "lo-1/manifest.csv", folderManifest},
	{"folder", "lo-1/p2/trang-1.jpg", "page 2.1"},
}

// TestUploadForm: clerks and admins get the form, which says the manifest
// names it looks for and the limit; only admins choose the agency.
func TestUploadForm(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.page(t, "clerkA", "/batches/new")
	if w.Code != http.StatusOK {
		t.Fatalf("clerk /batches/new: %d %s", w.Code, w.Body)
	}
	mustContain(t, w, `enctype="multipart/form-data"`, `action="/batches"`, `name="folder" webkitdirectory multiple`,
		`name="file" multiple`, `name="manifest" accept=".csv,text/csv,.xlsx,`, "manifest.csv", `href="/batches/template.xlsx"`, "danh-muc.csv", "8 GiB",
		`href="/batches/new/one"`, `aria-current="page">Gửi lô mới`)
	if strings.Contains(w.Body.String(), `name="agency"`) {
		t.Error("a clerk may choose the agency")
	}
	mustContain(t, b.page(t, "admin", "/batches/new?lang=en"), `name="agency" value="KHOSO"`, "At most per upload", "Folder of scans")
	if w := b.page(t, "handlerA", "/batches/new"); w.Code != http.StatusForbidden {
		t.Errorf("a handler opens the upload form: %d", w.Code)
	}
	w = b.page(t, "clerkA", "/")
	mustContain(t, w, `href="/batches/new"`, `href="/batches"`, "Lô đã gửi")
}

// TestUploadFormCreatesBatch: the form's folder, with the manifest found
// in it, goes through the API's path: the intake gets the rows and the
// files named within the folder, and the browser goes to the batch.
func TestUploadFormCreatesBatch(t *testing.T) {
	t.Parallel()
	var ri *recordingIntake
	b := setup(t, withIntake(t, &ri))
	w := b.do(t, "clerkA", multipartRequest("/batches", folderParts...))
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/batches/b") {
		t.Fatalf("POST /batches: %d %q %s", w.Code, loc, w.Body)
	}
	got := ri.inputs()
	if len(got) != 1 {
		t.Fatalf("intake got %d batches", len(got))
	}
	in := got[0]
	var names []string
	for n := range in.Files {
		names = append(names, n)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"p1/trang-1.jpg", "p1/trang-2.jpg", "p2/trang-1.jpg"}) {
		t.Errorf("files %v", names)
	}
	if len(in.Rows) != 2 || in.Rows[0].Meta.Number != "12/GP" || in.Rows[1].Files[0] != "p2/trang-1.jpg" || in.Rows[0].Err != nil {
		t.Errorf("rows %+v", in.Rows)
	}
	if in.Agency != "A" || in.CreatedBy != "clerkA" || in.UploaderRole != archive.RoleClerk {
		t.Errorf("batch of %q by %q (%s)", in.Agency, in.CreatedBy, in.UploaderRole)
	}
	recs, err := b.cat.BatchRecords(t.Context(), strings.TrimPrefix(loc, "/batches/"))
	if err != nil || len(recs) != 2 || recs[0].Status != archive.StatusReceived {
		t.Fatalf("records %+v, %v", recs, err)
	}
	if rec, err := b.cat.Record(t.Context(), recs[0].ID); err != nil || len(rec.Pages) != 2 || rec.Pages[0].Name != "p1/trang-1.jpg" {
		t.Fatalf("first record's pages %+v, %v", rec.Pages, err)
	}

	// The API reads the same body the same way.
	w = b.do(t, "clerkA", multipartRequest("/api/v1/batches", folderParts...))
	if w.Code != http.StatusAccepted || len(ri.inputs()) != 2 || len(ri.inputs()[1].Files) != 3 {
		t.Fatalf("API: %d %s", w.Code, w.Body)
	}
	// A folder without a manifest is shown the form again, saying so.
	w = b.do(t, "clerkA", multipartRequest("/batches", part{"folder", "lo/a.jpg", "x"}))
	if w.Code != http.StatusBadRequest {
		t.Fatalf("no manifest: %d", w.Code)
	}
	mustContain(t, w, `role="alert"`, "thiếu bảng kê", `id="upload-form"`)
	// A clerk may not send for another agency.
	w = b.do(t, "clerkA", multipartRequest("/batches", append(folderParts, part{"agency", "", "B"})...))
	if w.Code != http.StatusForbidden || len(ri.inputs()) != 2 {
		t.Errorf("clerk for agency B: %d", w.Code)
	}
}

// oneDocument is a document typed into the one-document form.
func oneDocument(issued string) []part {
	return []part{
		{"doc_type_code", "", "GPXD"}, {"doc_name", "", "Giấy phép xây dựng"}, {"number", "", "45/GPXD"},
		{"issued_on", "", issued}, {"issuer", "", "Sở Xây dựng"}, {"holder_id", "", "001088012345"},
		{"holder_name", "", "Nguyễn Văn Đức"}, {"summary", "", hostileName}, {"valid_until", "", ""},
		{"file", "trang-1.jpg", "page 1"}, {"file", "trang-2.jpg", "page 2"},
	}
}

// TestOneDocumentForm: a mistake is said next to its field, with the
// manifest's message, and what was typed is kept; a right document becomes
// a one-row batch.
func TestOneDocumentForm(t *testing.T) {
	t.Parallel()
	var ri *recordingIntake
	b := setup(t, withIntake(t, &ri))
	w := b.page(t, "clerkA", "/batches/new/one")
	mustContain(t, w, `action="/batches/new/one"`, `name="issued_on"`, `name="holder_id"`, `name="dpi"`, `name="procedure_code"`,
		`name="dossier_code"`, `name="validity_scope"`, `name="file" multiple required`)

	w = b.do(t, "clerkA", multipartRequest("/batches/new/one", oneDocument("31/02/2024")...))
	if w.Code != http.StatusBadRequest {
		t.Fatalf("31/02: %d %s", w.Code, w.Body)
	}
	mustContain(t, w, `id="f-issued_on" name="issued_on" value="31/02/2024"`, `aria-invalid="true"`,
		`<span class="field-error" id="e-issued_on">ngày &#34;31/02/2024&#34; không hợp lệ, hãy ghi dd/mm/yyyy</span>`,
		`value="Nguyễn Văn Đức"`, `value="45/GPXD"`, `value="Sở Xây dựng"`, "&lt;script&gt;", `role="alert"`)
	if strings.Contains(w.Body.String(), "<script>alert") {
		t.Error("the form shows typed markup as markup")
	}
	if n := len(ri.inputs()); n != 0 {
		t.Fatalf("a wrong document reached the intake (%d batches)", n)
	}
	w = b.do(t, "clerkA", multipartRequest("/batches/new/one?lang=en", oneDocument("31/02/2024")...))
	mustContain(t, w, `invalid date &#34;31/02/2024&#34;, write dd/mm/yyyy`)

	// A refusal after the fields were read keeps them too.
	w = b.do(t, "admin", multipartRequest("/batches/new/one", append(oneDocument("28/02/2024"), part{"agency", "", "sai mã!"})...))
	if w.Code != http.StatusBadRequest {
		t.Fatalf("a wrong agency code: %d", w.Code)
	}
	mustContain(t, w, "mã cơ quan chỉ gồm chữ, số", `value="45/GPXD"`, `name="agency" value="sai mã!"`)

	w = b.do(t, "clerkA", multipartRequest("/batches/new/one", oneDocument("28/02/2024")...))
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/batches/b") {
		t.Fatalf("a right document: %d %s", w.Code, w.Body)
	}
	in := ri.inputs()[0]
	row := in.Rows[0]
	if len(in.Rows) != 1 || row.Err != nil || !slices.Equal(row.Files, []string{"trang-1.jpg", "trang-2.jpg"}) ||
		row.Meta.Number != "45/GPXD" || row.Meta.HolderName != "Nguyễn Văn Đức" ||
		!row.Meta.IssuedOn.Equal(time.Date(2024, 2, 28, 0, 0, 0, 0, time.UTC)) || len(in.Files) != 2 {
		t.Fatalf("intake got %+v", in)
	}
}

// failedReason is a reason kept in both languages, as intake writes it.
const failedReason = `dòng 3, cột file: không tìm thấy tệp "x.jpg" trong lô đã gửi / row 3, column file: file "x.jpg" was not found in the batch sent`

// batchOf stores a batch of agency with one record per status.
func (b *testBundle) batchOf(tb testing.TB, agency string, at time.Time, statuses ...archive.Status) string {
	tb.Helper()
	ctx := context.Background()
	batch := &archive.Batch{ID: archive.NewID("b", at), Agency: agency, CreatedBy: "clerk" + agency, CreatedAt: at}
	err := b.cat.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(ctx, batch); err != nil {
			return err
		}
		for i, st := range statuses {
			m := permit(fmt.Sprintf("%d/GP", 10+i), "Nguyễn Văn Đức")
			rec := &archive.Record{ID: archive.NewID("r", at), BatchID: batch.ID, Agency: agency, Row: 2 + i, Status: st, Meta: m,
				Pages: []archive.Page{{N: 1, Name: "1.jpg", Original: archive.RefOf([]byte{byte(i)})}}}
			if st == archive.StatusFailed {
				rec.Reason, rec.Pages = failedReason, nil
			}
			if st == archive.StatusAvailable {
				rec.Pages[0].Notes = "trang trắng / blank page; đã chỉnh nghiêng / deskewed 1.5°"
			}
			if err := tx.CreateRecord(ctx, rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return batch.ID
}

// TestBatchPage: the batch's clerks and admins see each document's state,
// reason and notes in the page's language; another agency's clerk finds
// nothing; a batch still working refreshes itself without a script.
func TestBatchPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.addUser(t, archive.User{Name: "clerkB", Role: archive.RoleClerk, Agency: "B"})
	id := b.batchOf(t, "A", time.Now(), archive.StatusAvailable, archive.StatusFailed, archive.StatusAssembled)
	w := b.page(t, "clerkA", "/batches/"+id)
	if w.Code != http.StatusOK {
		t.Fatalf("clerk A: %d %s", w.Code, w.Body)
	}
	mustContain(t, w, `id="docs" data-batch="`+id+`"`, "10/GP", "Nguyễn Văn Đức", "sẵn sàng", "đã ghép", "(3/6)",
		`không tìm thấy tệp &#34;x.jpg&#34; trong lô đã gửi`, "Trang 1: trang trắng; đã chỉnh nghiêng",
		`<strong>1</strong> lỗi`, `http-equiv="refresh"`, `id="refresh"`, `href="/records/`, `class="step done"`)
	body := w.Body.String()
	if strings.Contains(body, "was not found") || strings.Contains(body, "blank page") {
		t.Error("the Vietnamese page shows English reasons")
	}
	if n := strings.Count(body, `class="step done"`); n != 6+3 {
		t.Errorf("%d steps done, want 9 (6 available, 3 assembled)", n)
	}
	w = b.page(t, "admin", "/batches/"+id+"?lang=en")
	mustContain(t, w, `file &#34;x.jpg&#34; was not found in the batch sent`, "Page 1: blank page; deskewed 1.5°", "assembled")
	if strings.Contains(w.Body.String(), "không tìm thấy") {
		t.Error("the English page shows Vietnamese reasons")
	}
	if w := b.page(t, "clerkB", "/batches/"+id); w.Code != http.StatusNotFound {
		t.Errorf("clerk of agency B: %d", w.Code)
	}
	if w := b.page(t, "clerkB", "/api/v1/batches/"+id); w.Code != http.StatusNotFound {
		t.Errorf("clerk of agency B, API: %d", w.Code)
	}
	if w := b.page(t, "handlerA", "/batches/"+id); w.Code != http.StatusForbidden {
		t.Errorf("handler: %d", w.Code)
	}
	done := b.batchOf(t, "A", time.Now(), archive.StatusAvailable)
	w = b.page(t, "clerkA", "/batches/"+done)
	mustContain(t, w, "Lô đã xử lý xong")
	if strings.Contains(w.Body.String(), `http-equiv="refresh"`) {
		t.Error("a finished batch still refreshes")
	}
}

// TestBatchesPage lists the agency's batches newest first, a page at a
// time, with their counts.
func TestBatchesPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.addUser(t, archive.User{Name: "clerkB", Role: archive.RoleClerk, Agency: "B"})
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	var ids []string
	for i := range batchesPageSize + 2 {
		ids = append(ids, b.batchOf(t, "A", t0.Add(time.Duration(i)*time.Minute), archive.StatusAvailable, archive.StatusFailed))
	}
	other := b.batchOf(t, "B", t0, archive.StatusReceived)
	w := b.page(t, "clerkA", "/batches")
	if w.Code != http.StatusOK {
		t.Fatalf("/batches: %d %s", w.Code, w.Body)
	}
	body := w.Body.String()
	first := strings.Index(body, ids[len(ids)-1])
	if first < 0 || first > strings.Index(body, ids[len(ids)-2]) {
		t.Error("the newest batch is not first")
	}
	if strings.Contains(body, other) || strings.Contains(body, ids[0]) {
		t.Error("the first page shows another agency's batch, or more than a page")
	}
	mustContain(t, w, "<strong>1</strong> sẵn sàng", "<strong>1</strong> lỗi", "01/12/2026 15:26:00")
	next := regexp.MustCompile(`href="(/batches\?before=[^"]+)" rel="next"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatalf("no next page:\n%.3000s", body)
	}
	w = b.page(t, "clerkA", next[1])
	if n := strings.Count(w.Body.String(), `<a href="/batches/b`); n != 2 {
		t.Errorf("second page lists %d batches, want 2", n)
	}
	mustContain(t, w, ids[0], "« Trang đầu")
	mustContain(t, b.page(t, "clerkB", "/batches"), other)
	mustContain(t, b.page(t, "admin", "/batches?agency=B"), other)
}

// TestUploadTooLarge: an upload over the limit is refused, saying the
// limit in both languages, whether its size is declared or not.
func TestUploadTooLarge(t *testing.T) {
	t.Parallel()
	var ri *recordingIntake
	b := setup(t, withIntake(t, &ri), func(c *Config) { c.MaxUploadBytes = 1 << 10 })
	big := append(slices.Clone(folderParts), part{"folder", "lo-1/p3.jpg", strings.Repeat("x", 4<<10)})
	w := b.do(t, "clerkA", multipartRequest("/batches", big...))
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("over the limit: %d", w.Code)
	}
	mustContain(t, w, "lô gửi lên quá lớn: tối đa 1 KiB; hãy chia thành nhiều lô nhỏ hơn", `id="upload-form"`)
	w = b.do(t, "clerkA", multipartRequest("/batches?lang=en", big...))
	mustContain(t, w, "the batch sent is too large: at most 1 KiB")

	r := multipartRequest("/api/v1/batches", big...)
	r.ContentLength = -1 // sent in chunks: the limit is found while reading
	r.Body = io.NopCloser(io.MultiReader(r.Body))
	w = b.do(t, "clerkA", r)
	if w.Code != http.StatusRequestEntityTooLarge ||
		!strings.Contains(w.Body.String(), "lô gửi lên quá lớn: tối đa 1 KiB; hãy chia thành nhiều lô nhỏ hơn / the batch sent is too large: at most 1 KiB") {
		t.Errorf("API, chunked: %d %s", w.Code, w.Body)
	}
	if len(ri.inputs()) != 0 {
		t.Error("an upload over the limit reached the intake")
	}
	mustContain(t, b.page(t, "clerkA", "/batches/new"), "1 KiB", `data-max="1024"`)
}

// TestInLanguage splits messages kept in both languages.
func TestInLanguage(t *testing.T) {
	for _, c := range []struct{ in, vi, en string }{
		{"trang trắng / blank page", "trang trắng", "blank page"},
		{"bước sign thất bại: chưa ký / not signed / stage sign failed: chưa ký / not signed", "bước sign thất bại: chưa ký / not signed", "stage sign failed: chưa ký / not signed"},
		{"ingest: ảnh hỏng / damaged image", "ảnh hỏng", "damaged image"},
		{"only one language", "only one language", "only one language"},
		{"", "", ""},
	} {
		if vi, en := inLanguage(langVi, c.in), inLanguage(langEn, c.in); vi != c.vi || en != c.en {
			t.Errorf("inLanguage(%q) = %q, %q; want %q, %q", c.in, vi, en, c.vi, c.en)
		}
	}
	if got := sizeText(langVi, 3<<29); got != "1,5 GiB" {
		t.Errorf("sizeText(1.5 GiB) = %q", got)
	}
}
