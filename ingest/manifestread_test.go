package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
)

const viHeader = "Tệp,Tên giấy tờ,\"Số, ký hiệu\",Ngày cấp,Cơ quan cấp,Số định danh,Độ phân giải (dpi)\n"

func TestParseManifestNotUTF8(t *testing.T) {
	t.Parallel()
	// "Giấy phép" as Windows-1258 writes it: ấ is 0xE2 0xEC (â + combining acute).
	data := []byte(viHeader + "a.jpg,GP,1/GP,01/02/2023,UBND,001,300\nb.jpg,Gi\xe2\xecy ph\xe9p,2/GP,01/02/2023,UBND,002,300\n")
	_, err := ParseManifest(bytes.NewReader(data))
	if !errors.Is(err, ErrManifest) {
		t.Fatalf("err = %v, want ErrManifest", err)
	}
	off := bytes.IndexByte(data, 0xe2)
	for _, want := range []string{"dòng 3", "line 3", "byte offset " + strconv.Itoa(off), "CSV UTF-8", "Windows-1258"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to say %q", err, want)
		}
	}
}

func TestParseManifestUTF16(t *testing.T) {
	t.Parallel()
	text := viHeader + "a.jpg,Giấy phép,1/GP,17/05/2023,UBND,001,300\n"
	for _, order := range []unicode.Endianness{unicode.LittleEndian, unicode.BigEndian} {
		data, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := ParseManifest(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%v: %v", order, err)
		}
		if len(rows) != 1 || rows[0].Err != nil || rows[0].Meta.DocName != "Giấy phép" || rows[0].Meta.HolderID != "001" {
			t.Errorf("%v: rows = %+v", order, rows)
		}
	}
}

func TestParseManifestLimits(t *testing.T) {
	t.Parallel()
	t.Run("long field names row and header", func(t *testing.T) {
		data := viHeader + "a.jpg,GP,1/GP,01/02/2023,UBND,001,300\nb.jpg,GP," + strings.Repeat("9", MaxCodeLen+1) + ",01/02/2023,UBND,002,300\n"
		rows, err := ParseManifest(strings.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if rows[0].Err != nil {
			t.Errorf("row 2: %v", rows[0].Err)
		}
		var re *RowError
		if !errors.As(rows[1].Err, &re) || re.Line != 3 || re.Column != "number" || re.Header != "Số, ký hiệu" ||
			!strings.Contains(re.Error(), "dòng 3, cột “Số, ký hiệu”") {
			t.Errorf("row 3 err = %v (%+v)", rows[1].Err, re)
		}
	})
	t.Run("dpi header as written", func(t *testing.T) {
		rows, err := ParseManifest(strings.NewReader(viHeader + "a.jpg,GP,1/GP,01/02/2023,UBND,001,nhiều\n"))
		if err != nil {
			t.Fatal(err)
		}
		if err := rows[0].Err; err == nil || !strings.Contains(err.Error(), "cột “Độ phân giải (dpi)”") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("too many rows", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(viHeader)
		for range MaxManifestRows + 1 {
			b.WriteString("a.jpg,GP,1/GP,01/02/2023,UBND,001,300\n")
		}
		_, err := ParseManifest(strings.NewReader(b.String()))
		if !errors.Is(err, ErrManifest) || !strings.Contains(err.Error(), "10000") || !strings.Contains(err.Error(), "line 10002") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("too many bytes", func(t *testing.T) {
		data := viHeader + strings.Repeat("x", MaxManifestBytes)
		_, err := ParseManifest(strings.NewReader(data))
		if !errors.Is(err, ErrManifest) || !strings.Contains(err.Error(), "32 MiB") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("scientific notation", func(t *testing.T) {
		rows, err := ParseManifest(strings.NewReader(viHeader + "a.jpg,GP,1/GP,01/02/2023,UBND,1.01E+11,300\n"))
		if err != nil {
			t.Fatal(err)
		}
		var re *RowError
		if !errors.As(rows[0].Err, &re) || re.Column != "holder_id" || re.Header != "Số định danh" {
			t.Errorf("err = %v", rows[0].Err)
		}
	})
}

// xlsxManifest builds a workbook with a "Danh mục" sheet after another
// one, holding rows of values set by excelize's typed setters.
func xlsxManifest(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("Danh mục"); err != nil {
		t.Fatal(err)
	}
	f.SetCellStr("Sheet1", "A1", "not the manifest")
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue("Danh mục", cell, v); err != nil {
				t.Fatal(err)
			}
			if _, ok := v.(time.Time); ok {
				f.SetCellStyle("Danh mục", cell, cell, dateStyle)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseManifestXLSX(t *testing.T) {
	t.Parallel()
	header := []any{"Tệp", "Tên giấy tờ", "Số, ký hiệu", "Ngày cấp", "Cơ quan cấp", "Số định danh", "Thời hạn hiệu lực"}
	data := xlsxManifest(t, [][]any{header,
		{"a.jpg", "Giấy phép", "1/GP", time.Date(2023, 5, 17, 0, 0, 0, 0, time.UTC), "UBND", "001234567890", "31/12/2030"},
		{"b.jpg", "Giấy phép", "2/GP", "18/05/2023", "UBND", 12345678901, ""},
		{},
		{"c.jpg", "Giấy phép", 101000000000, "19/05/2023", "UBND", "079", ""},
		{"d.jpg", "Giấy phép", "4/GP", "19/05/2023", "UBND", "1.01E+11", ""},
	})
	if !IsXLSX(data) {
		t.Fatal("IsXLSX = false")
	}
	rows, err := ParseManifest(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4 (the blank one skipped): %+v", len(rows), rows)
	}
	r := rows[0]
	if r.Err != nil || r.Line != 2 || r.Meta.IssuedOn != time.Date(2023, 5, 17, 0, 0, 0, 0, time.UTC) ||
		r.Meta.ValidUntil != time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC) || r.Meta.HolderID != "001234567890" {
		t.Errorf("row 2 = %+v", r)
	}
	for i, want := range []struct {
		line         int
		column, head string
	}{{3, "holder_id", "Số định danh"}, {5, "number", "Số, ký hiệu"}, {6, "holder_id", "Số định danh"}} {
		var re *RowError
		if !errors.As(rows[i+1].Err, &re) || re.Line != want.line || re.Column != want.column || re.Header != want.head ||
			!strings.Contains(re.EN, "Text") {
			t.Errorf("row %d err = %v, want a fault of %s", want.line, rows[i+1].Err, want.column)
		}
	}
}

func TestParseManifestXLSXSheetAndHeaders(t *testing.T) {
	t.Parallel()
	data := xlsxManifest(t, [][]any{{"Tệp", "Tên giấy tờ"}, {"a.jpg", "GP"}})
	_, err := ParseManifest(bytes.NewReader(data))
	if !errors.Is(err, ErrManifest) || !strings.Contains(err.Error(), "number") {
		t.Errorf("err = %v, want the missing column", err)
	}
}

func TestParseManifestXLSXBomb(t *testing.T) {
	t.Parallel()
	// An entry declaring 1 GiB with a few compressed bytes: refused from
	// the zip directory, before anything is inflated.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: 2, UncompressedSize64: 1 << 30, CRC32: 0})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{0x03, 0x00})
	zw.Close()
	_, err = ParseManifest(bytes.NewReader(buf.Bytes()))
	if !errors.Is(err, ErrManifest) || !strings.Contains(err.Error(), "unzipped") {
		t.Errorf("err = %v", err)
	}
	// A real one, inflating past a small limit.
	buf.Reset()
	zw = zip.NewWriter(&buf)
	w, _ = zw.Create("xl/worksheets/sheet1.xml")
	w.Write(bytes.Repeat([]byte(" "), 2<<20))
	zw.Close()
	if _, err := readXLSX(buf.Bytes(), 1<<20); !errors.Is(err, ErrManifest) || !strings.Contains(err.Error(), "unzipped") {
		t.Errorf("err = %v", err)
	}
}
