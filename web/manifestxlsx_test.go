package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// TestManifestTemplateDownload: clerks and admins download the template,
// which reads as one good row; others may not.
func TestManifestTemplateDownload(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, user := range []string{"clerkA", "admin"} {
		w := b.page(t, user, "/batches/template.xlsx")
		if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "spreadsheetml") ||
			!strings.Contains(w.Header().Get("Content-Disposition"), "mau-bang-ke.xlsx") {
			t.Fatalf("%s: %d %v", user, w.Code, w.Header())
		}
		rows, err := ingest.ParseManifest(bytes.NewReader(w.Body.Bytes()))
		if err != nil || len(rows) != 1 || rows[0].Err != nil {
			t.Errorf("%s: the template reads as %+v, %v", user, rows, err)
		}
	}
	if w := b.page(t, "handlerA", "/batches/template.xlsx"); w.Code != http.StatusForbidden {
		t.Errorf("a handler downloads the template: %d", w.Code)
	}
}

// xlsxBytes is a workbook of rows, every cell text.
func xlsxBytes(tb testing.TB, rows [][]string) string {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellStr("Sheet1", cell, v)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.String()
}

// TestUploadXLSX: an XLSX manifest is told by its content, whatever its
// name, in the manifest part and in the folder; a CSV that is not UTF-8
// is refused saying how to save it.
func TestUploadXLSX(t *testing.T) {
	t.Parallel()
	var ri *recordingIntake
	b := setup(t, withIntake(t, &ri))
	manifest := xlsxBytes(t, [][]string{
		{"Tệp", "Tên giấy tờ", "Số, ký hiệu", "Ngày cấp", "Cơ quan cấp", "Tên chủ hồ sơ"},
		{"p1", "Giấy phép môi trường", "12/GP", "05/03/2024", "UBND tỉnh", "Nguyễn Văn Đức"},
	})
	for _, parts := range [][]part{
		{{"manifest!", "bang-ke.csv", manifest}, {"folder", "lo-1/p1/trang-1.jpg", "page 1.1"}},
		{{"folder", "lo-1/p1/trang-1.jpg", "page 1.1"}, {"folder", "lo-1/danh-muc.xlsx", manifest}},
	} {
		w := b.do(t, "clerkA", multipartRequest("/api/v1/batches", parts...))
		if w.Code != http.StatusAccepted {
			t.Fatalf("POST: %d %s", w.Code, w.Body)
		}
	}
	for _, in := range ri.inputs() {
		if len(in.Rows) != 1 || in.Rows[0].Err != nil || in.Rows[0].Meta.Number != "12/GP" || len(in.Files) != 1 {
			t.Errorf("rows %+v, files %v", in.Rows, in.Files)
		}
	}
	w := b.do(t, "clerkA", multipartRequest("/batches?lang=en", part{"manifest!", "bang-ke.csv",
		"Tệp,Tên giấy tờ,Số,Ngày cấp,Cơ quan cấp\np1,Gi\xe2\xecy ph\xe9p,1,01/01/2024,UB\n"},
		part{"folder", "lo-1/p1/trang-1.jpg", "page"}))
	if w.Code != http.StatusBadRequest {
		t.Fatalf("a Windows-1258 CSV: %d", w.Code)
	}
	mustContain(t, w, "line 2", "CSV UTF-8", `id="upload-form"`)
}

// TestRetryFailedRows: a batch with a failed row offers to send it again;
// the form it opens names the rows, says the files must be chosen again,
// and sends only those rows.
func TestRetryFailedRows(t *testing.T) {
	t.Parallel()
	var ri *recordingIntake
	b := setup(t, withIntake(t, &ri))
	manifest := "Tệp,Tên giấy tờ,\"Số, ký hiệu\",Ngày cấp,Cơ quan cấp,Tên chủ hồ sơ\n" +
		"p1,Giấy phép,1/GP,05/03/2024,UBND,An\np2,Giấy phép,2/GP,05/03/2024,UBND,Bình\n"
	w := b.do(t, "clerkA", multipartRequest("/batches", part{"manifest!", "m.csv", manifest}, part{"folder", "lo/p1/a.jpg", "page"}))
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST /batches: %d %s", w.Code, w.Body)
	}
	id := strings.TrimPrefix(loc, "/batches/")
	mustContain(t, b.page(t, "clerkA", loc), `href="/batches/new?retry=`+id+`"`, "Gửi lại các dòng lỗi")
	w = b.page(t, "clerkA", "/batches/new?retry="+id+"&lang=en")
	mustContain(t, w, `name="rows" value="3"`, `name="retry" value="`+id+`"`, "choose the batch&#39;s scan folder and manifest again")
	b.addUser(t, archive.User{Name: "clerkB", Role: archive.RoleClerk, Agency: "B"})
	if w := b.page(t, "clerkB", "/batches/new?retry="+id); w.Code != http.StatusNotFound {
		t.Errorf("a clerk of another agency opens the retry form: %d", w.Code)
	}
	w = b.do(t, "clerkA", multipartRequest("/batches", part{"retry", "", id}, part{"rows", "", "3"},
		part{"manifest!", "m.csv", manifest}, part{"folder", "lo/p2/a.jpg", "page"}))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("retry POST: %d %s", w.Code, w.Body)
	}
	got := ri.inputs()
	if in := got[len(got)-1]; len(in.Rows) != 1 || in.Rows[0].Line != 3 || in.Rows[0].Meta.Number != "2/GP" {
		t.Errorf("retry rows %+v", in.Rows)
	}
	w = b.do(t, "clerkA", multipartRequest("/batches?lang=en", part{"retry", "", id}, part{"rows", "", "9"},
		part{"manifest!", "m.csv", manifest}, part{"folder", "lo/p2/a.jpg", "page"}))
	if w.Code != http.StatusBadRequest {
		t.Fatalf("retry of a row the manifest lacks: %d", w.Code)
	}
	mustContain(t, w, "the manifest has no row 9", `name="rows" value="9"`)
}
