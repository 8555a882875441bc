package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// TestIngestXLSX: `khoso ingest --manifest x.xlsx --wait` sends an Excel
// manifest: a date cell and a text date both read; a CCCD Excel keeps as a
// number waits for its metadata, the reason naming its row and the
// clerk's header.
func TestIngestXLSX(t *testing.T) {
	t.Parallel()
	b := startServer(t, t.TempDir(), nil)
	batch := t.TempDir()
	permits := []permit{
		{file: "gp-1", number: "1/GP", holder: "Lê Văn Minh", holderID: "001190000001", issued: "01/03/2024", pages: 1},
		{file: "gp-2", number: "2/GP", holder: "Trần Thị Hoa", holderID: "001190000002", issued: "02/03/2024", pages: 1},
		{file: "gp-3", number: "3/GP", holder: "Phạm Văn Nam", holderID: "001190000003", issued: "03/03/2024", pages: 1},
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	set := func(cell string, v any) {
		t.Helper()
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	for i, h := range []string{"Tệp", "Tên giấy tờ", "Số, ký hiệu", "Ngày cấp", "Cơ quan cấp", "Số định danh", "Tên chủ hồ sơ"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		set(cell, h)
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	for i, p := range permits {
		writePermitScans(t, batch, p)
		row := i + 2
		cell := func(col string) string { return col + string(rune('0'+row)) }
		set(cell("A"), p.file)
		set(cell("B"), "Giấy phép môi trường")
		set(cell("C"), p.number)
		set(cell("E"), "Bộ Tài nguyên và Môi trường")
		set(cell("F"), p.holderID)
		set(cell("G"), p.holder)
		set(cell("D"), p.issued)
	}
	set("D2", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	f.SetCellStyle(sheet, "D2", "D2", dateStyle)
	set("F4", 1190000003) // typed into a column formatted as a number
	manifest := filepath.Join(t.TempDir(), "danh-muc.xlsx")
	if err := f.SaveAs(manifest); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := b.khoso(t, "ingest", batch, "--manifest", manifest, "--wait")
	if code != 3 {
		t.Fatalf("ingest exited %d, want 3 (a row waits for its metadata):\n%s%s", code, out, errOut)
	}
	lines := batchLines(out)
	for _, row := range []int{2, 3} {
		if lines[row] == nil || lines[row][2] != string(archive.StatusAvailable) {
			t.Errorf("row %d: %v, want available:\n%s", row, lines[row], out)
		}
	}
	if !strings.Contains(out, "\tdòng/row 3 [2/GP, Trần Thị Hoa, 001190000002]\t") {
		t.Errorf("the report does not name row 3's number and holder beside it:\n%s", out)
	}
	if l := lines[4]; l == nil || l[2] != string(archive.StatusNeedsMetadata) ||
		!strings.Contains(l[3], "row 4, column Số định danh") || !strings.Contains(l[3], "Text") {
		t.Errorf("row 4: %v, want needs_metadata naming the holder ID column:\n%s", l, out)
	}
}

// TestManifestTemplate: `khoso manifest template -o FILE` writes a
// workbook whose sample row the manifest reader accepts.
func TestManifestTemplate(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "mau.xlsx")
	var stdout, stderr bytes.Buffer
	env := Env{Getenv: func(string) string { return "" }, Stdout: &stdout, Stderr: &stderr}
	if code := Main(t.Context(), []string{"manifest", "template", "-o", out}, env); code != 0 {
		t.Fatalf("manifest template exited %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ingest.ParseManifest(bytes.NewReader(data))
	if err != nil || len(rows) != 1 || rows[0].Err != nil {
		t.Fatalf("the template reads as %+v, %v", rows, err)
	}
	if code := Main(t.Context(), []string{"manifest"}, env); code == 0 {
		t.Error("khoso manifest without template exited 0")
	}
}

// TestIngestRetryFailed: `khoso ingest DIR --retry-failed BATCH` sends a
// new batch of only the rows that failed, under their manifest rows, and
// only the files they name.
func TestIngestRetryFailed(t *testing.T) {
	t.Parallel()
	b := startServer(t, t.TempDir(), nil)
	batch := t.TempDir()
	permits := []permit{
		{file: "gp-1", number: "1/GP", holder: "Lê Văn Minh", holderID: "001190000001", issued: "01/03/2024", pages: 1},
		{file: "gp-2", number: "2/GP", holder: "Trần Thị Hoa", holderID: "001190000002", issued: "02/03/2024", pages: 1},
	}
	writeBatch(t, batch, permits)
	if err := os.RemoveAll(filepath.Join(batch, "gp-2")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := b.khoso(t, "ingest", batch, "--wait")
	lines := batchLines(out)
	if code != 1 || lines[2][2] != string(archive.StatusAvailable) || lines[3][2] != string(archive.StatusFailed) {
		t.Fatalf("first ingest exited %d, want 1 with row 3 failed:\n%s%s", code, out, errOut)
	}
	first := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(out, "\n", 2)[0], "batch "))
	writePermitScans(t, batch, permits[1])
	code, out, errOut = b.khoso(t, "ingest", batch, "--retry-failed", first, "--wait")
	lines = batchLines(out)
	if code != 0 || len(lines) != 1 || lines[3] == nil || lines[3][2] != string(archive.StatusAvailable) {
		t.Fatalf("retry exited %d, want row 3 alone, available:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "sending 1 tệp/files") || !strings.Contains(errOut, "failed rows again: 3") {
		t.Errorf("the retry sent more than row 3's file:\n%s", errOut)
	}
	// A batch without failed rows sends nothing.
	second := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(out, "\n", 2)[0], "batch "))
	code, out, errOut = b.khoso(t, "ingest", batch, "--retry-failed", second)
	if code != 0 || strings.Contains(out, "batch ") || !strings.Contains(errOut, "no failed rows") {
		t.Errorf("retry of a batch without failures: exit %d:\n%s%s", code, out, errOut)
	}
}
