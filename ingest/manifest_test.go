package ingest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

func TestParseManifest(t *testing.T) {
	t.Parallel()
	const header = "file,doc_type_code,doc_name,number,issued_on,issuer,holder_id,holder_name,valid_until\n"
	for _, tc := range []struct {
		name    string
		csv     string
		wantErr string // substring of the row's error; empty for an accepted row
		check   func(t *testing.T, r Row)
	}{
		{name: "english", csv: header + "a.jpg,GPMT,Giấy phép,1/GP,17/05/2023,Bộ TNMT,001,Nguyễn Văn Đức,\n",
			check: func(t *testing.T, r Row) {
				if r.Meta.IssuedOn != time.Date(2023, 5, 17, 0, 0, 0, 0, time.UTC) || r.Meta.HolderName != "Nguyễn Văn Đức" {
					t.Errorf("meta = %+v", r.Meta)
				}
			}},
		{name: "bom and vietnamese headers",
			csv: "\uFEFFTệp,Tên giấy tờ,\"Số, ký hiệu\",Ngày cấp,Cơ quan cấp,Số định danh\np/1.jpg|p/2.jpg,GP,2/GP,2023-01-02,UBND,079\n",
			check: func(t *testing.T, r Row) {
				if len(r.Files) != 2 || r.Files[1] != "p/2.jpg" || r.Meta.HolderID != "079" || r.Meta.Number != "2/GP" {
					t.Errorf("row = %+v", r)
				}
			}},
		{name: "semicolons", csv: "file;doc_name;number;issued_on;issuer;holder_name\nx;GP;3/GP;1/2/2020;UB;An\n",
			check: func(t *testing.T, r Row) {
				if r.Meta.IssuedOn != time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC) {
					t.Errorf("issued %v, want 1 February 2020 (day first)", r.Meta.IssuedOn)
				}
			}},
		{name: "decomposed text is composed",
			csv: header + "a,GPMT,GP,1,01/01/2020,UB,1,Nguye\u0302\u0303n,\n",
			check: func(t *testing.T, r Row) {
				if r.Meta.HolderName != "Nguyễn" {
					t.Errorf("holder %q, want NFC", r.Meta.HolderName)
				}
			}},
		{name: "impossible date", csv: header + "a,GPMT,GP,1,31/02/2023,UB,1,A,\n", wantErr: "row 2, column issued_on"},
		{name: "missing number", csv: header + "a,GPMT,GP,,01/01/2020,UB,1,A,\n", wantErr: "row 2, column number"},
		{name: "no holder", csv: header + "a,GPMT,GP,1,01/01/2020,UB,,,\n", wantErr: "column holder_id"},
		{name: "dpi confirmed", csv: "file,doc_name,number,issued_on,issuer,holder_name,Độ phân giải (dpi)\na,GP,1,01/01/2020,UB,A,300 dpi\n",
			check: func(t *testing.T, r Row) {
				if r.DPI != 300 {
					t.Errorf("dpi %g, want 300", r.DPI)
				}
			}},
		{name: "who scanned, vietnamese header", csv: "file,doc_name,number,issued_on,issuer,holder_name,Người quét\na,GP,1,01/01/2020,UB,A,Lê Thị Hoa\n",
			check: func(t *testing.T, r Row) {
				if r.Meta.ScannedBy != "Lê Thị Hoa" {
					t.Errorf("scanned by %q, want Lê Thị Hoa", r.Meta.ScannedBy)
				}
			}},
		{name: "who scanned, english header", csv: "file,doc_name,number,issued_on,issuer,holder_name,Scanned By\na,GP,1,01/01/2020,UB,A,Trần Văn An\n",
			check: func(t *testing.T, r Row) {
				if r.Meta.ScannedBy != "Trần Văn An" {
					t.Errorf("scanned by %q, want Trần Văn An", r.Meta.ScannedBy)
				}
			}},
		{name: "dpi not a number", csv: "file,doc_name,number,issued_on,issuer,holder_name,dpi\na,GP,1,01/01/2020,UB,A,cao\n",
			wantErr: "row 2, column dpi"},
		{name: "dpi out of range", csv: "file,doc_name,number,issued_on,issuer,holder_name,dpi\na,GP,1,01/01/2020,UB,A,30000\n",
			wantErr: "column dpi"},
		{name: "valid until before issue", csv: header + "a,GPMT,GP,1,01/01/2020,UB,1,A,01/01/2019\n", wantErr: "column valid_until"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rows, err := ParseManifest(strings.NewReader(tc.csv))
			if err != nil {
				t.Fatalf("ParseManifest: %v", err)
			}
			if len(rows) != 1 {
				t.Fatalf("%d rows, want 1", len(rows))
			}
			r := rows[0]
			switch {
			case tc.wantErr == "" && r.Err != nil:
				t.Fatalf("row refused: %v", r.Err)
			case tc.wantErr != "" && (r.Err == nil || !strings.Contains(r.Err.Error(), tc.wantErr)):
				t.Fatalf("row error %v, want one containing %q", r.Err, tc.wantErr)
			case tc.check != nil:
				tc.check(t, r)
			}
		})
	}
}

func TestParseManifestBadRowsDoNotStopOthers(t *testing.T) {
	t.Parallel()
	csv := "file,doc_name,number,issued_on,issuer,holder_id\n" +
		"a,GP,1,01/01/2020,UB,1\n" +
		"b,GP,2,not a date,UB,1\n" +
		"\n" +
		"c,GP,3,02/01/2020,UB,1\n"
	rows, err := ParseManifest(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Err != nil || rows[1].Err == nil || rows[2].Err != nil || rows[2].Line != 5 {
		t.Fatalf("rows = %+v; want a and c accepted (c on line 5), b refused", rows)
	}
	var re *RowError
	if !errors.As(rows[1].Err, &re) || re.Line != 3 || re.Column != "issued_on" {
		t.Fatalf("b's error = %#v, want a RowError for line 3, issued_on", rows[1].Err)
	}
}

func TestParseManifestUnusable(t *testing.T) {
	t.Parallel()
	for _, csv := range []string{"", "file,doc_name\na,b\n", "\uFEFF"} {
		if _, err := ParseManifest(strings.NewReader(csv)); !errors.Is(err, ErrManifest) {
			t.Errorf("ParseManifest(%q) = %v, want ErrManifest", csv, err)
		}
	}
}

func TestResolveNaturalOrder(t *testing.T) {
	t.Parallel()
	files := map[string]archive.Ref{}
	for _, n := range []string{"doc/page10.jpg", "doc/page2.jpg", "doc/page1.jpg", "other/page1.jpg", "single.jpg"} {
		files[n] = ""
	}
	if got := strings.Join(resolve("doc", files), " "); got != "doc/page1.jpg doc/page2.jpg doc/page10.jpg" {
		t.Errorf("resolve(doc) = %s", got)
	}
	if got := resolve("single.jpg", files); len(got) != 1 {
		t.Errorf("resolve(single.jpg) = %v", got)
	}
	if got := resolve("doc\\page2.jpg", files); len(got) != 1 || got[0] != "doc/page2.jpg" {
		t.Errorf("resolve with a backslash = %v", got)
	}
	if got := resolve("missing", files); len(got) != 0 {
		t.Errorf("resolve(missing) = %v", got)
	}
}

// TestRowFromFields: a document typed into a form is checked as a manifest
// line is, with the same messages, and Columns names every column.
func TestRowFromFields(t *testing.T) {
	fields := map[string]string{"file": "a.jpg|b.jpg", "doc_name": "Giấy phép môi trường", "number": "12/GP",
		"issued_on": "05/03/2024", "issuer": "UBND tỉnh", "holder_name": "Nguyễn Văn Đức", "dpi": "300", "unknown": "x"}
	row := RowFromFields(1, fields)
	if row.Err != nil || len(row.Files) != 2 || row.Files[1] != "b.jpg" || row.DPI != 300 ||
		!row.Meta.IssuedOn.Equal(time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)) || row.Line != 1 {
		t.Fatalf("RowFromFields = %+v", row)
	}
	fields["issued_on"] = "31/02/2024"
	bad := RowFromFields(1, fields)
	var re *RowError
	if !errors.As(bad.Err, &re) || re.Column != "issued_on" || !strings.Contains(re.VI, "dd/mm/yyyy") {
		t.Fatalf("31/02: %v", bad.Err)
	}
	csvRows, err := ParseManifest(strings.NewReader("file,doc_name,number,issued_on,issuer,holder_name\na.jpg,G,1,31/02/2024,U,H\n"))
	if err != nil || csvRows[0].Err.(*RowError).VI != re.VI {
		t.Errorf("the form's message %q differs from the manifest's %v", re.VI, csvRows[0].Err)
	}
	canon := map[string]bool{}
	for _, c := range columns {
		canon[c] = true
	}
	if len(canon) != len(Columns) {
		t.Errorf("Columns has %d names, the manifest knows %d", len(Columns), len(canon))
	}
	for _, c := range Columns {
		if !canon[c] {
			t.Errorf("Columns names %q, which is no manifest column", c)
		}
	}
}

// TestParseManifestMetadataFault: a row whose only fault is its metadata
// keeps what could be read (the other date, the confirmed dpi) and names
// the column, so the record can wait for a clerk.
func TestParseManifestMetadataFault(t *testing.T) {
	t.Parallel()
	rows, err := ParseManifest(strings.NewReader("file,doc_name,number,issued_on,issuer,holder_name,valid_until,dpi\n" +
		"a.jpg,Giấy phép,,31/02/2023,UBND,An,31/12/2035,300\n"))
	if err != nil || len(rows) != 1 {
		t.Fatalf("ParseManifest = %v, %v", rows, err)
	}
	r := rows[0]
	var re *RowError
	if !errors.As(r.Err, &re) || re.Column != "number" || re.Line != 2 || !errors.Is(r.Err, archive.ErrInvalid) {
		t.Fatalf("row error %v, want one on column number of row 2", r.Err)
	}
	if r.DPI != 300 || r.Meta.ValidUntil.Format("02/01/2006") != "31/12/2035" || r.Meta.DocName != "Giấy phép" || len(r.Files) != 1 {
		t.Fatalf("row kept %+v", r)
	}
}
